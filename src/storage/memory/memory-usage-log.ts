/** In-memory `UsageLog`, for tests and throwaway gateways. */
import { ConduitError } from '../../core/errors.js';
import type {
  UsageDeadLetter,
  UsageLog,
  UsageQuery,
  UsageRecord,
  UsageSummaryRow,
} from '../ports/usage-log.js';
import { pageLimit } from '../shared/checks.js';
import { decodeCursor, encodeCursor } from '../shared/cursor.js';
import { jsonClone } from '../shared/json.js';
import {
  compareSummaryRows,
  deadLetterJson,
  matchesStatus,
  parseDeadLetter,
  percentile,
  statusMatch,
  toUsageRecord,
} from '../shared/usage-records.js';

interface Entry {
  seq: number;
  record: UsageRecord;
}

type Filter = Omit<UsageQuery, 'limit' | 'cursor'>;

function matcher(q: Filter): (r: UsageRecord) => boolean {
  const status = q.status === undefined ? undefined : statusMatch(q.status);
  return (r) =>
    (q.since === undefined || r.createdAt >= q.since) &&
    (q.until === undefined || r.createdAt < q.until) &&
    (q.keyId === undefined || r.keyId === q.keyId) &&
    (q.alias === undefined || r.alias === q.alias) &&
    (status === undefined || matchesStatus(r, status));
}

export function createMemoryUsageLog(now: () => number): UsageLog {
  let entries: Entry[] = [];
  const requestIds = new Set<string>();
  let seq = 0;
  const dead: { row: string; error: string; createdAt: number }[] = [];

  return {
    async appendBatch(rows) {
      const at = now();
      const records = rows.map((row) => toUsageRecord(row, at));
      // Check every row before touching state, so a bad row leaves nothing behind.
      const seen = new Set<string>();
      for (const r of records) {
        if (requestIds.has(r.requestId) || seen.has(r.requestId)) {
          throw new ConduitError('conflict', 'A usage row with this requestId already exists');
        }
        seen.add(r.requestId);
      }
      for (const record of records) {
        entries.push({ seq: ++seq, record });
        requestIds.add(record.requestId);
      }
    },

    async query(query = {}) {
      const limit = pageLimit(query.limit, 100, 1000);
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      const matches = matcher(query);
      const matching = entries
        .filter((e) => matches(e.record))
        .filter(
          (e) =>
            !after ||
            e.record.createdAt < after.time ||
            (e.record.createdAt === after.time && e.seq < after.seq),
        )
        .sort((a, b) => b.record.createdAt - a.record.createdAt || b.seq - a.seq);
      const page = matching.slice(0, limit);
      const last = page[page.length - 1];
      return {
        rows: page.map((e) => jsonClone(e.record)),
        nextCursor:
          matching.length > limit && last
            ? encodeCursor({ time: last.record.createdAt, seq: last.seq })
            : null,
      };
    },

    async spend(query) {
      const matches = matcher(query);
      return entries.filter((e) => matches(e.record)).reduce((sum, e) => sum + e.record.costUsd, 0);
    },

    async summarize(query = {}) {
      const groups = new Map<string | null, UsageRecord[]>();
      const matches = matcher(query);
      for (const { record } of entries) {
        if (!matches(record)) continue;
        const group = query.groupBy ? record[query.groupBy] : null;
        const list = groups.get(group);
        if (list) list.push(record);
        else groups.set(group, [record]);
      }
      const rows: UsageSummaryRow[] = [...groups].map(([group, records]) => {
        const latencies = records.map((r) => r.latencyMs).sort((a, b) => a - b);
        const sum = (pick: (r: UsageRecord) => number) => records.reduce((s, r) => s + pick(r), 0);
        return {
          group,
          requests: records.length,
          errors: records.filter((r) => matchesStatus(r, 'error')).length,
          promptTokens: sum((r) => r.promptTokens),
          completionTokens: sum((r) => r.completionTokens),
          cachedTokens: sum((r) => r.cachedTokens),
          costUsd: sum((r) => r.costUsd),
          cacheHits: records.filter((r) => r.cacheHit).length,
          latencyP50Ms: percentile(latencies, 50),
          latencyP95Ms: percentile(latencies, 95),
        };
      });
      return rows.sort(compareSummaryRows);
    },

    async deleteBefore(time) {
      const kept = entries.filter((e) => e.record.createdAt >= time);
      const removed = entries.length - kept.length;
      for (const e of entries) if (e.record.createdAt < time) requestIds.delete(e.record.requestId);
      entries = kept;
      return removed;
    },
    async deadLetter(rows, error) {
      const at = now();
      for (const row of rows) dead.push({ row: deadLetterJson(row), error: String(error), createdAt: at });
    },
    async deadLetters(query = {}) {
      const limit = pageLimit(query.limit, 100, 1000);
      return dead
        .slice(-limit)
        .reverse()
        .map(
          (d): UsageDeadLetter => ({ row: parseDeadLetter(d.row), error: d.error, createdAt: d.createdAt }),
        );
    },
  };
}
