/** SQLite adapter of `TraceStore`. */
import type { Span, TraceStore } from '../ports/trace-store.js';
import { pageLimit } from '../shared/checks.js';
import { fromJson } from '../shared/json.js';
import { summarizeTrace, toSpan } from '../shared/span-records.js';
import type { SqliteDatabase } from './sqlite-database.js';

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
  attributes: string;
  events: string;
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
  attributes: fromJson<Record<string, unknown>>(row.attributes, {}),
  events: fromJson<Span['events']>(row.events, []),
});

export function createSqliteTraceStore(db: SqliteDatabase): TraceStore {
  const upsert = db.prepare(`INSERT OR REPLACE INTO spans (trace_id, span_id, parent_span_id, name, kind,
    start_time, end_time, status, status_message, attributes, events) VALUES (@traceId, @spanId, @parentSpanId,
    @name, @kind, @startTime, @endTime, @status, @statusMessage, @attributes, @events)`);
  const byTrace = db.prepare<[string], SpanRow>(
    'SELECT * FROM spans WHERE trace_id = ? ORDER BY start_time, span_id',
  );
  // The inner query uses the start_time index; HAVING then drops traces that began before `since`.
  const traceIds = db.prepare<[number, number, number, number, number], { trace_id: string }>(
    `SELECT trace_id, MIN(start_time) AS first FROM spans
     WHERE trace_id IN (SELECT trace_id FROM spans WHERE start_time >= ? AND start_time < ?)
     GROUP BY trace_id HAVING first >= ? AND first < ? ORDER BY first DESC, trace_id LIMIT ?`,
  );
  const insertAll = db.transaction((spans: Span[]) => {
    for (const span of spans) {
      upsert.run({
        ...span,
        attributes: JSON.stringify(span.attributes),
        events: JSON.stringify(span.events),
      });
    }
  });

  return {
    async appendSpans(spans) {
      insertAll.immediate(spans.map(toSpan));
    },
    async getTrace(traceId) {
      return byTrace.all(traceId).map(fromRow);
    },
    async listTraces(query = {}) {
      const since = query.since ?? Number.NEGATIVE_INFINITY;
      const until = query.until ?? Number.POSITIVE_INFINITY;
      const limit = pageLimit(query.limit, 50, 1000);
      return traceIds
        .all(since, until, since, until, limit)
        .map((row) => summarizeTrace(byTrace.all(row.trace_id).map(fromRow)));
    },
  };
}
