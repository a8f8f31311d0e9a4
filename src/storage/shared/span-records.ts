/** Validates and completes spans, and derives trace summaries the same way in every adapter. */
import type { Span, SpanInput, SpanStatus, TraceSummary } from '../ports/trace-store.js';
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
    root: root ? { spanId: root.spanId, name: root.name, kind: root.kind, status: root.status } : null,
  };
}
