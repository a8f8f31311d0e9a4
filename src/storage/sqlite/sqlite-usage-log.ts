/** SQLite adapter of `UsageLog`; percentiles are computed in SQL with window functions. */
import type {
  UsageDeadLetter,
  UsageGroupBy,
  UsageLog,
  UsageQuery,
  UsageRecord,
  UsageRecordInput,
  UsageSummaryRow,
} from '../ports/usage-log.js';
import { pageLimit } from '../shared/checks.js';
import { decodeCursor, encodeCursor } from '../shared/cursor.js';
import { fromJson } from '../shared/json.js';
import {
  compareSummaryRows,
  deadLetterJson,
  parseDeadLetter,
  statusMatch,
  toUsageRecord,
} from '../shared/usage-records.js';
import { mapSqliteError, type SqliteDatabase } from './sqlite-database.js';

interface UsageRow {
  seq: number;
  request_id: string;
  client_request_id: string | null;
  trace_id: string | null;
  key_id: string | null;
  alias: string;
  deployment: string | null;
  provider: string | null;
  status: number;
  error_code: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  cost_usd: number;
  latency_ms: number;
  ttft_ms: number | null;
  cache_hit: number;
  retries: number;
  created_at: number;
  metadata: string;
}

function fromRow(row: UsageRow): UsageRecord {
  return {
    requestId: row.request_id,
    clientRequestId: row.client_request_id,
    traceId: row.trace_id,
    keyId: row.key_id,
    alias: row.alias,
    deployment: row.deployment,
    provider: row.provider,
    status: row.status,
    errorCode: row.error_code,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    cachedTokens: row.cached_tokens,
    costUsd: row.cost_usd,
    latencyMs: row.latency_ms,
    ttftMs: row.ttft_ms,
    cacheHit: row.cache_hit === 1,
    retries: row.retries,
    createdAt: row.created_at,
    metadata: fromJson<Record<string, unknown>>(row.metadata, {}),
  };
}

const GROUP_COLUMNS = {
  alias: 'alias',
  deployment: 'deployment',
  keyId: 'key_id',
  provider: 'provider',
} as const satisfies Record<UsageGroupBy, string>;

/** Builds the shared WHERE clause; column names come from code, values are always bound. */
function whereClause(query: Omit<UsageQuery, 'limit' | 'cursor'>) {
  const conditions: [string, ...(string | number | undefined)[]][] = [
    ['created_at >= ?', query.since],
    ['created_at < ?', query.until],
    ['key_id = ?', query.keyId],
    ['alias = ?', query.alias],
  ];
  if (query.status !== undefined) {
    const match = statusMatch(query.status);
    conditions.push(
      match === 'error'
        ? ['(status >= 400 OR error_code IS NOT NULL)']
        : ['status >= ? AND status < ?', match.min, match.max],
    );
  }
  // A condition applies when it binds nothing or every value it binds is given.
  const used = conditions.filter((c) => c.slice(1).every((v) => v !== undefined));
  return {
    sql: used.length > 0 ? `WHERE ${used.map((c) => c[0]).join(' AND ')}` : '',
    params: used.flatMap((c) => c.slice(1) as (string | number)[]),
  };
}

export function createSqliteUsageLog(db: SqliteDatabase, now: () => number): UsageLog {
  // Positional parameters: binding a named-parameter object costs a spread and a lookup per column
  // per row, which shows at gateway rates (thousands of rows a second).
  const insert = db.prepare(`INSERT INTO usage_log (request_id, client_request_id, trace_id, key_id, alias,
    deployment, provider, status, error_code, prompt_tokens, completion_tokens, cached_tokens, cost_usd, latency_ms,
    ttft_ms, cache_hit, retries, created_at, metadata)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertAll = db.transaction((records: UsageRecord[]) => {
    for (const r of records) {
      insert.run(
        r.requestId,
        r.clientRequestId,
        r.traceId,
        r.keyId,
        r.alias,
        r.deployment,
        r.provider,
        r.status,
        r.errorCode,
        r.promptTokens,
        r.completionTokens,
        r.cachedTokens,
        r.costUsd,
        r.latencyMs,
        r.ttftMs,
        r.cacheHit ? 1 : 0,
        r.retries,
        r.createdAt,
        JSON.stringify(r.metadata),
      );
    }
  });
  const removeBefore = db.prepare('DELETE FROM usage_log WHERE created_at < ?');
  const insertDead = db.prepare('INSERT INTO usage_dead_letters (row, error, created_at) VALUES (?, ?, ?)');
  const insertAllDead = db.transaction((rows: UsageRecordInput[], error: string, at: number) => {
    for (const row of rows) insertDead.run(deadLetterJson(row), error, at);
  });

  return {
    async appendBatch(rows: UsageRecordInput[]) {
      const at = now();
      const records = rows.map((row) => toUsageRecord(row, at));
      try {
        insertAll.immediate(records);
      } catch (error) {
        throw mapSqliteError(error, 'A usage row with this requestId');
      }
    },

    async query(query = {}) {
      const limit = pageLimit(query.limit, 100, 1000);
      const { sql, params } = whereClause(query);
      let where = sql;
      if (query.cursor !== undefined) {
        const { time, seq } = decodeCursor(query.cursor);
        where += `${where ? ' AND' : 'WHERE'} (created_at < ? OR (created_at = ? AND seq < ?))`;
        params.push(time, time, seq);
      }
      const rows = db
        .prepare<unknown[], UsageRow>(
          `SELECT * FROM usage_log ${where} ORDER BY created_at DESC, seq DESC LIMIT ${limit + 1}`,
        )
        .all(...params);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        rows: page.map(fromRow),
        nextCursor:
          rows.length > limit && last ? encodeCursor({ time: last.created_at, seq: last.seq }) : null,
      };
    },

    async spend(query) {
      const { sql, params } = whereClause(query);
      const total = db
        .prepare(`SELECT TOTAL(cost_usd) FROM usage_log ${sql}`)
        .pluck()
        .get(...params);
      return Number(total);
    },

    async summarize(query = {}) {
      const { sql, params } = whereClause(query);
      const group = query.groupBy ? GROUP_COLUMNS[query.groupBy] : 'NULL';
      // Nearest rank: the value at position ceil(p * n / 100), written in integer arithmetic.
      const rows = db
        .prepare<unknown[], UsageSummaryRow>(
          `WITH f AS (SELECT ${group} AS grp, * FROM usage_log ${sql}),
          ranked AS (SELECT grp, latency_ms,
            ROW_NUMBER() OVER (PARTITION BY grp ORDER BY latency_ms) AS rn,
            COUNT(*) OVER (PARTITION BY grp) AS n FROM f),
          pct AS (SELECT grp,
            MAX(CASE WHEN rn = (n * 50 + 99) / 100 THEN latency_ms END) AS p50,
            MAX(CASE WHEN rn = (n * 95 + 99) / 100 THEN latency_ms END) AS p95 FROM ranked GROUP BY grp)
          SELECT f.grp AS "group", COUNT(*) AS requests, SUM(f.status >= 400 OR f.error_code IS NOT NULL) AS errors,
            SUM(f.prompt_tokens) AS promptTokens, SUM(f.completion_tokens) AS completionTokens,
            SUM(f.cached_tokens) AS cachedTokens, TOTAL(f.cost_usd) AS costUsd, SUM(f.cache_hit) AS cacheHits,
            pct.p50 AS latencyP50Ms, pct.p95 AS latencyP95Ms
          FROM f JOIN pct ON pct.grp IS f.grp GROUP BY f.grp`,
        )
        .all(...params);
      return rows
        .map((row) => ({ ...row, group: row.group === null ? null : String(row.group) }))
        .sort(compareSummaryRows);
    },

    async deleteBefore(time) {
      return removeBefore.run(time).changes;
    },
    async deadLetter(rows, error) {
      insertAllDead.immediate(rows, String(error), now());
    },
    async deadLetters(query = {}) {
      const limit = pageLimit(query.limit, 100, 1000);
      return db
        .prepare<unknown[], { row: string; error: string; created_at: number }>(
          `SELECT row, error, created_at FROM usage_dead_letters ORDER BY seq DESC LIMIT ${limit}`,
        )
        .all()
        .map(
          (d): UsageDeadLetter => ({ row: parseDeadLetter(d.row), error: d.error, createdAt: d.created_at }),
        );
    },
  };
}
