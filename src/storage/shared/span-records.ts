/** Validates and completes spans, and derives trace summaries the same way in every adapter. */
import {
  type Span,
  type SpanInput,
  type SpanStatus,
  TRACE_LIST_ATTRIBUTES,
  type TraceListQuery,
  type TraceRoot,
  type TraceSummary,
} from '../ports/trace-store.js';
import { badRequest, checkNonEmpty, checkNonNegative, checkOptionalNonNegative } from './checks.js';
import { jsonClone } from './json.js';

const STATUSES: ReadonlySet<SpanStatus> = new Set(['unset', 'ok', 'error']);

export function toSpan(input: SpanInput): Span {
  const status = input.status ?? 'unset';
  if (!STATUSES.has(status)) throw badRequest(`span status must be unset, ok or error`, 'status');
  return {
    traceId: checkNonEmpty(input.traceId, 'traceId'),
    spanId: checkNonEmpty(input.spanId, 'spanId'),
    parentSpanId: input.parentSpanId ?? null,
    name: checkNonEmpty(input.name, 'name'),
    kind: input.kind ?? 'internal',
    startTime: checkNonNegative(input.startTime, 'startTime'),
    endTime: checkOptionalNonNegative(input.endTime, 'endTime'),
    status,
    statusMessage: input.statusMessage ?? null,
    attributes: jsonClone(input.attributes ?? {}, 'attributes'),
    events: jsonClone(input.events ?? [], 'events'),
  };
}

/** Summarises one trace's spans (any order). */
export function summarizeTrace(spans: readonly Span[]): TraceSummary {
  const ordered = [...spans].sort((a, b) => a.startTime - b.startTime);
  const ids = new Set(ordered.map((s) => s.spanId));
  const root = ordered.find((s) => s.parentSpanId === null || !ids.has(s.parentSpanId));
  const first = ordered[0];
  if (!first) throw new Error('summarizeTrace needs at least one span');
  let endTime: number | null = null;
  for (const span of ordered) {
    if (span.endTime !== null && (endTime === null || span.endTime > endTime)) endTime = span.endTime;
  }
  return {
    traceId: first.traceId,
    startTime: first.startTime,
    endTime,
    durationMs: endTime === null ? null : endTime - first.startTime,
    spanCount: ordered.length,
    errorCount: ordered.filter((s) => s.status === 'error').length,
    root: root ? toRoot(root) : null,
  };
}

function toRoot(span: Span): TraceRoot {
  const attributes: Record<string, unknown> = {};
  for (const key of TRACE_LIST_ATTRIBUTES) {
    if (span.attributes[key] !== undefined) attributes[key] = span.attributes[key];
  }
  return { spanId: span.spanId, name: span.name, kind: span.kind, status: span.status, attributes };
}

/** The root filters of a trace query, checked; `undefined` when the query has none. */
export function rootFilters(
  query: TraceListQuery,
): Pick<TraceListQuery, 'model' | 'keyId' | 'status'> | undefined {
  const { model, keyId, status } = query;
  if (status !== undefined && status !== 'ok' && status !== 'error') {
    throw badRequest('status must be ok or error', 'status');
  }
  return model === undefined && keyId === undefined && status === undefined
    ? undefined
    : { model, keyId, status };
}

/** Whether a summary's root passes the filters (what the SQL adapters compute in their queries). */
export function rootMatches(
  root: TraceRoot | null,
  filters: Pick<TraceListQuery, 'model' | 'keyId' | 'status'>,
): boolean {
  if (!root) return false;
  const a = root.attributes;
  return (
    (filters.model === undefined ||
      a['conduit.model'] === filters.model ||
      a['gen_ai.request.model'] === filters.model) &&
    (filters.keyId === undefined || a['conduit.key_id'] === filters.keyId) &&
    (filters.status === undefined || (root.status === 'error') === (filters.status === 'error'))
  );
}
