/** SQLite adapter of `TraceStore`. */

import type { Statement } from 'better-sqlite3';
import type { Span, TraceListQuery, TraceStore } from '../ports/trace-store.js';
import { pageLimit } from '../shared/checks.js';
import { fromJson } from '../shared/json.js';
import { rootFilters, summarizeTrace, toSpan } from '../shared/span-records.js';
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

/**
 * Each trace that began in [since, until) with its first start. The inner query uses the start_time
 * index; HAVING then drops traces that began before `since`.
 */
const FIRSTS = `SELECT trace_id, MIN(start_time) AS first FROM spans
  WHERE trace_id IN (SELECT trace_id FROM spans WHERE start_time >= ? AND start_time < ?)
  GROUP BY trace_id HAVING first >= ? AND first < ?`;

/**
 * The filtered listing: each trace's root (earliest span whose parent is not stored, ties by span
 * id, as `summarizeTrace` picks it) is found in SQL so that filters apply before the limit.
 */
function filteredTraceIds(
  prepare: (sql: string) => Statement<(string | number)[], { trace_id: string }>,
  query: TraceListQuery,
  since: number,
  until: number,
  limit: number,
) {
  const conditions: string[] = [];
  const params: (string | number)[] = [since, until, since, until];
  if (query.model !== undefined) {
    conditions.push(
      `(json_extract(r.attributes, '$."conduit.model"') = ? OR json_extract(r.attributes, '$."gen_ai.request.model"') = ?)`,
    );
    params.push(query.model, query.model);
  }
  if (query.keyId !== undefined) {
    conditions.push(`json_extract(r.attributes, '$."conduit.key_id"') = ?`);
    params.push(query.keyId);
  }
  if (query.status !== undefined)
    conditions.push(query.status === 'error' ? `r.status = 'error'` : `r.status <> 'error'`);
  params.push(limit);
  return prepare(
    `WITH firsts AS (${FIRSTS}),
      roots AS (SELECT s.trace_id, s.status, s.attributes,
        ROW_NUMBER() OVER (PARTITION BY s.trace_id ORDER BY s.start_time, s.span_id) AS rn
        FROM spans s JOIN firsts f ON f.trace_id = s.trace_id
        WHERE s.parent_span_id IS NULL OR NOT EXISTS
          (SELECT 1 FROM spans p WHERE p.trace_id = s.trace_id AND p.span_id = s.parent_span_id))
      SELECT f.trace_id FROM firsts f JOIN roots r ON r.trace_id = f.trace_id AND r.rn = 1
      WHERE ${conditions.join(' AND ')} ORDER BY f.first DESC, f.trace_id LIMIT ?`,
  ).all(...params);
}

export function createSqliteTraceStore(db: SqliteDatabase): TraceStore {
  // Positional parameters: binding by name costs an object spread and a lookup per column.
  const upsert = db.prepare(`INSERT OR REPLACE INTO spans (trace_id, span_id, parent_span_id, name, kind,
    start_time, end_time, status, status_message, attributes, events) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const byTrace = db.prepare<[string], SpanRow>(
    'SELECT * FROM spans WHERE trace_id = ? ORDER BY start_time, span_id',
  );
  const traceIds = db.prepare<[number, number, number, number, number], { trace_id: string }>(
    `${FIRSTS} ORDER BY first DESC, trace_id LIMIT ?`,
  );
  // One statement per combination of filters (at most eight), prepared on first use.
  const statements = new Map<string, Statement<(string | number)[], { trace_id: string }>>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare<(string | number)[], { trace_id: string }>(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const insertAll = db.transaction((spans: Span[]) => {
    for (const span of spans) {
      upsert.run(
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
      );
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
      const filters = rootFilters(query);
      const rows = filters
        ? filteredTraceIds(prepare, filters, since, until, limit)
        : traceIds.all(since, until, since, until, limit);
      return rows.map((row) => summarizeTrace(byTrace.all(row.trace_id).map(fromRow)));
    },
  };
}
