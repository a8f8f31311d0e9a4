/**
 * SQLite adapter of `RateLimiter`. Each decision is a read-modify-write inside BEGIN IMMEDIATE, which
 * takes the write lock first: it is atomic across every connection and process sharing the file.
 */
import type { RateLimiter, RateLimitRefund } from '../ports/rate-limiter.js';
import { checkNonEmpty } from '../shared/checks.js';
import {
  checkRateLimitRequest,
  checkRefund,
  decide,
  peekDecision,
  refundState,
  type WindowState,
} from '../shared/sliding-window.js';
import type { SqliteDatabase } from './sqlite-database.js';

interface LimitRow {
  window_ms: number;
  window_start: number;
  current: number;
  previous: number;
}

export function createSqliteRateLimiter(db: SqliteDatabase, now: () => number): RateLimiter {
  const read = db.prepare<[string], LimitRow>(
    'SELECT window_ms, window_start, current, previous FROM rate_limits WHERE key = ?',
  );
  const write = db.prepare(
    `INSERT INTO rate_limits (key, window_ms, window_start, current, previous) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET window_ms = excluded.window_ms, window_start = excluded.window_start,
       current = excluded.current, previous = excluded.previous`,
  );
  const remove = db.prepare('DELETE FROM rate_limits WHERE key = ?');

  /** A counter kept for another window length says nothing about this one. */
  const load = (key: string, windowMs: number): WindowState | undefined => {
    const row = read.get(key);
    if (!row || row.window_ms !== windowMs) return undefined;
    return { windowStart: row.window_start, current: row.current, previous: row.previous };
  };

  const consume = db.transaction((key: string, request: ReturnType<typeof checkRateLimitRequest>) => {
    const { state, decision } = decide(load(key, request.windowMs), now(), request);
    write.run(key, request.windowMs, state.windowStart, state.current, state.previous);
    return decision;
  });

  const refund = db.transaction((key: string, request: RateLimitRefund) => {
    const next = refundState(load(key, request.windowMs), request.windowMs, request);
    if (next) write.run(key, request.windowMs, next.windowStart, next.current, next.previous);
  });

  return {
    async consume(key, request) {
      checkNonEmpty(key, 'key');
      return consume.immediate(key, checkRateLimitRequest(request));
    },
    async peek(key, request) {
      const { limit, windowMs } = checkRateLimitRequest(request);
      return peekDecision(load(key, windowMs), now(), limit, windowMs);
    },
    async refund(key, request) {
      refund.immediate(key, checkRefund(request));
    },
    async reset(key) {
      remove.run(key);
    },
  };
}
