/** PostgreSQL adapter of `TraceStore`. */
import type { Span, SpanInput, TraceListQuery, TraceStore } from '../ports/trace-store.js';
import { pageLimit } from '../shared/checks.js';
import { rootFilters, summarizeTrace, toSpan } from '../shared/span-records.js';
import { insertRows } from './insert-rows.js';
import type { PostgresContext } from './postgres-context.js';

interface SpanRow {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: string;
  start_time: number;
  end_time: number | null;
  status: Span['status'];
  status_message: string | null;
  attributes: Record<string, unknown>;
  events: Span['events'];
}

const fromRow = (row: SpanRow): Span => ({
  traceId: row.trace_id,
  spanId: row.span_id,
  parentSpanId: row.parent_span_id,
  name: row.name,
  kind: row.kind,
  startTime: row.start_time,
  endTime: row.end_time,
  status: row.status,
  statusMessage: row.status_message,
  attributes: row.attributes,
  events: row.events,
});

const COLUMNS = [
  'trace_id',
  'span_id',
  'parent_span_id',
  'name',
  'kind',
  'start_time',
  'end_time',
  'status',
  'status_message',
  'attributes',
  'events',
];

const REPLACE = `ON CONFLICT (trace_id, span_id) DO UPDATE SET ${COLUMNS.slice(2)
  .map((c) => `${c} = excluded.${c}`)
  .join(', ')}`;

/** One row per (trace, span): a statement may not upsert the same row twice, and the last copy wins. */
function lastCopies(inputs: SpanInput[]): Span[] {
  const byId = new Map<string, Span>();
  for (const span of inputs.map(toSpan)) byId.set(JSON.stringify([span.traceId, span.spanId]), span);
  return [...byId.values()];
}

/**
 * Conditions on each trace's root (earliest span whose parent is not stored, ties by span id, as
 * `summarizeTrace` picks it), over the `roots` relation of the listing query; parameters from $3.
 */
function rootConditions(filters: TraceListQuery, params: unknown[]): string[] {
  const conditions: string[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (filters.model !== undefined) {
    const p = param(filters.model);
    conditions.push(
      `(r.attributes->>'conduit.model' = ${p} OR r.attributes->>'gen_ai.request.model' = ${p})`,
    );
  }
  if (filters.keyId !== undefined)
    conditions.push(`r.attributes->>'conduit.key_id' = ${param(filters.keyId)}`);
  if (filters.status !== undefined)
    conditions.push(filters.status === 'error' ? `r.status = 'error'` : `r.status <> 'error'`);
  return conditions;
}

export function createPostgresTraceStore({ client, s }: PostgresContext): TraceStore {
  const spansOf = async (traceIds: string[]) => {
    const { rows } = await client.query<SpanRow>(
      `SELECT * FROM ${s}.spans WHERE trace_id = ANY($1::text[]) ORDER BY start_time, span_id COLLATE "C"`,
      [traceIds],
    );
    return rows.map(fromRow);
  };

  return {
    async appendSpans(inputs) {
      const spans = lastCopies(inputs);
      if (spans.length === 0) return;
      const cells = spans.map((span) => [
        span.traceId,
        span.spanId,
        span.parentSpanId,
        span.name,
        span.kind,
        span.startTime,
        span.endTime,
        span.status,
        span.statusMessage,
        JSON.stringify(span.attributes),
        JSON.stringify(span.events),
      ]);
      await client.transaction((tx) => insertRows(tx, `${s}.spans`, COLUMNS, cells, { suffix: REPLACE }));
    },
    getTrace: (traceId) => spansOf([traceId]),
    async listTraces(query = {}) {
      const limit = pageLimit(query.limit, 50, 1000);
      const filters = rootFilters(query);
      const params: unknown[] = [
        query.since ?? Number.NEGATIVE_INFINITY,
        query.until ?? Number.POSITIVE_INFINITY,
      ];
      // The inner query uses the start_time index; HAVING then drops traces that began before `since`.
      const firsts = `SELECT trace_id, min(start_time) AS first FROM ${s}.spans
         WHERE trace_id IN (SELECT trace_id FROM ${s}.spans WHERE start_time >= $1 AND start_time < $2)
         GROUP BY trace_id HAVING min(start_time) >= $1 AND min(start_time) < $2`;
      // With filters, roots are found in SQL so that the filters apply before the limit.
      const sql = filters
        ? `WITH firsts AS (${firsts}),
          roots AS (SELECT DISTINCT ON (sp.trace_id) sp.trace_id, sp.status, sp.attributes
            FROM ${s}.spans sp JOIN firsts f ON f.trace_id = sp.trace_id
            WHERE sp.parent_span_id IS NULL OR NOT EXISTS (SELECT 1 FROM ${s}.spans p
              WHERE p.trace_id = sp.trace_id AND p.span_id = sp.parent_span_id)
            ORDER BY sp.trace_id, sp.start_time, sp.span_id COLLATE "C")
          SELECT f.trace_id, f.first FROM firsts f JOIN roots r ON r.trace_id = f.trace_id
          WHERE ${rootConditions(filters, params).join(' AND ')}
          ORDER BY f.first DESC, f.trace_id COLLATE "C" LIMIT ${limit}`
        : `${firsts} ORDER BY first DESC, trace_id COLLATE "C" LIMIT ${limit}`;
      const { rows } = await client.query<{ trace_id: string }>(sql, params);
      const spans = await spansOf(rows.map((row) => row.trace_id));
      const byTrace = new Map<string, Span[]>();
      for (const span of spans) {
        const list = byTrace.get(span.traceId);
        if (list) list.push(span);
        else byTrace.set(span.traceId, [span]);
      }
      return rows.map((row) => summarizeTrace(byTrace.get(row.trace_id) ?? []));
    },
  };
}
