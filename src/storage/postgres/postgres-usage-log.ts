/**
 * PostgreSQL adapter of `UsageLog`. A batch is written with multi-row INSERTs in one transaction;
 * percentiles are nearest-rank, computed in SQL with the same integer arithmetic as SQLite.
 */
import type {
  UsageDeadLetter,
  UsageGroupBy,
  UsageLog,
  UsageQuery,
  UsageRecord,
  UsageSummaryRow,
} from '../ports/usage-log.js';
import { pageLimit } from '../shared/checks.js';
import { decodeCursor, encodeCursor } from '../shared/cursor.js';
import {
  compareSummaryRows,
  deadLetterJson,
  parseDeadLetter,
  statusMatch,
  toUsageRecord,
} from '../shared/usage-records.js';
import { insertRows } from './insert-rows.js';
import type { PostgresContext } from './postgres-context.js';
import { mapPostgresError } from './postgres-errors.js';

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
  cache_hit: boolean;
  retries: number;
  created_at: number;
  metadata: Record<string, unknown>;
}

const fromRow = (row: UsageRow): UsageRecord => ({
  requestId: row.request_id,
  clientRequestId: row.client_request_id,
  traceId: row.trace_id,
  keyId: row.key_id,
  alias: row.alias,
  deployment: row.deployment,
  provider: row.provider,
  status: row.status,
  errorCode: row.error_code,
  promptTokens: Number(row.prompt_tokens),
  completionTokens: Number(row.completion_tokens),
  cachedTokens: Number(row.cached_tokens),
  costUsd: row.cost_usd,
  latencyMs: row.latency_ms,
  ttftMs: row.ttft_ms,
  cacheHit: row.cache_hit,
  retries: row.retries,
  createdAt: row.created_at,
  metadata: row.metadata,
});

const COLUMNS = [
  'request_id',
  'client_request_id',
  'trace_id',
  'key_id',
  'alias',
  'deployment',
  'provider',
  'status',
  'error_code',
  'prompt_tokens',
  'completion_tokens',
  'cached_tokens',
  'cost_usd',
  'latency_ms',
  'ttft_ms',
  'cache_hit',
  'retries',
  'created_at',
  'metadata',
];

const toCells = (r: UsageRecord) => [
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
  r.cacheHit,
  r.retries,
  r.createdAt,
  JSON.stringify(r.metadata),
];

const GROUP_COLUMNS = {
  alias: 'alias',
  deployment: 'deployment',
  keyId: 'key_id',
  provider: 'provider',
} as const satisfies Record<UsageGroupBy, string>;

/** The shared WHERE clause; column names come from code, values are always bound. */
function whereClause(query: Omit<UsageQuery, 'limit' | 'cursor'>) {
  const params: unknown[] = [];
  const conditions: string[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    if (values.some((v) => v === undefined)) return;
    let next = 0;
    conditions.push(
      sql.replace(/\?/g, () => {
        params.push(values[next++]);
        return `$${params.length}`;
      }),
    );
  };
  add('created_at >= ?', query.since);
  add('created_at < ?', query.until);
  add('key_id = ?', query.keyId);
  add('alias = ?', query.alias);
  if (query.status !== undefined) {
    const match = statusMatch(query.status);
    if (match === 'error') add('(status >= 400 OR error_code IS NOT NULL)');
    else add('status >= ? AND status < ?', match.min, match.max);
  }
  return { conditions, params };
}

const where = (conditions: string[]) => (conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '');

export function createPostgresUsageLog({ client, s, now }: PostgresContext): UsageLog {
  return {
    async appendBatch(rows) {
      const at = now();
      const records = rows.map((row) => toUsageRecord(row, at));
      if (records.length === 0) return;
      try {
        await client.transaction((tx) => insertRows(tx, `${s}.usage_log`, COLUMNS, records.map(toCells)));
      } catch (error) {
        throw mapPostgresError(error, 'A usage row with this requestId');
      }
    },

    async query(query = {}) {
      const limit = pageLimit(query.limit, 100, 1000);
      const { conditions, params } = whereClause(query);
      if (query.cursor !== undefined) {
        const { time, seq } = decodeCursor(query.cursor);
        params.push(time, seq);
        const [t, q] = [`$${params.length - 1}`, `$${params.length}`];
        conditions.push(`(created_at < ${t} OR (created_at = ${t} AND seq < ${q}))`);
      }
      const { rows } = await client.query<UsageRow>(
        `SELECT * FROM ${s}.usage_log ${where(conditions)} ORDER BY created_at DESC, seq DESC LIMIT ${limit + 1}`,
        params,
      );
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        rows: page.map(fromRow),
        nextCursor:
          rows.length > limit && last ? encodeCursor({ time: last.created_at, seq: Number(last.seq) }) : null,
      };
    },

    async spend(query) {
      const { conditions, params } = whereClause(query);
      const { rows } = await client.query<{ total: number }>(
        `SELECT coalesce(sum(cost_usd), 0)::float8 AS total FROM ${s}.usage_log ${where(conditions)}`,
        params,
      );
      return Number(rows[0]?.total ?? 0);
    },

    async summarize(query = {}) {
      const { conditions, params } = whereClause(query);
      const group = query.groupBy ? GROUP_COLUMNS[query.groupBy] : 'NULL::text';
      // Nearest rank: the value at position ceil(p * n / 100), written in integer arithmetic.
      const { rows } = await client.query<UsageSummaryRow>(
        `WITH f AS (SELECT ${group} AS grp, * FROM ${s}.usage_log ${where(conditions)}),
        ranked AS (SELECT grp, latency_ms,
          row_number() OVER (PARTITION BY grp ORDER BY latency_ms) AS rn,
          count(*) OVER (PARTITION BY grp) AS n FROM f),
        pct AS (SELECT grp,
          max(latency_ms) FILTER (WHERE rn = (n * 50 + 99) / 100) AS p50,
          max(latency_ms) FILTER (WHERE rn = (n * 95 + 99) / 100) AS p95 FROM ranked GROUP BY grp)
        SELECT f.grp AS "group", count(*)::float8 AS requests,
          (count(*) FILTER (WHERE f.status >= 400 OR f.error_code IS NOT NULL))::float8 AS errors,
          sum(f.prompt_tokens)::float8 AS "promptTokens", sum(f.completion_tokens)::float8 AS "completionTokens",
          sum(f.cached_tokens)::float8 AS "cachedTokens", sum(f.cost_usd)::float8 AS "costUsd",
          (count(*) FILTER (WHERE f.cache_hit))::float8 AS "cacheHits",
          max(pct.p50) AS "latencyP50Ms", max(pct.p95) AS "latencyP95Ms"
        FROM f JOIN pct ON pct.grp IS NOT DISTINCT FROM f.grp GROUP BY f.grp`,
        params,
      );
      return rows
        .map((row) => ({ ...row, group: row.group === null ? null : String(row.group) }))
        .sort(compareSummaryRows);
    },

    async deleteBefore(time) {
      const { rowCount } = await client.query(`DELETE FROM ${s}.usage_log WHERE created_at < $1`, [time]);
      return rowCount;
    },
    async deadLetter(rows, error) {
      if (rows.length === 0) return;
      const at = now();
      await client.transaction((tx) =>
        insertRows(
          tx,
          `${s}.usage_dead_letters`,
          ['row', 'error', 'created_at'],
          rows.map((row) => [deadLetterJson(row), String(error), at]),
        ),
      );
    },
    async deadLetters(query = {}) {
      const limit = pageLimit(query.limit, 100, 1000);
      const { rows } = await client.query<{ row: string; error: string; created_at: number }>(
        `SELECT row, error, created_at FROM ${s}.usage_dead_letters ORDER BY seq DESC LIMIT ${limit}`,
      );
      return rows.map(
        (d): UsageDeadLetter => ({
          row: parseDeadLetter(d.row),
          error: d.error,
          createdAt: Number(d.created_at),
        }),
      );
    },
  };
}
