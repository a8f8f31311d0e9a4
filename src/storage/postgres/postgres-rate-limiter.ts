/**
 * PostgreSQL adapter of `RateLimiter`. Each `consume` is one call of `conduit_rate_limit_consume`
 * (see the migration), which takes the key's row lock, rolls the window and records the amount in
 * a single statement: exact across every process and host that shares the database, with the lock
 * held for microseconds rather than across network round trips. The function returns the window as
 * it was before the call; the shared sliding-window code turns that into the decision, so every
 * backend reports `remaining` and `retryAfterMs` the same way.
 *
 * The clock is the caller's (`now`), like the other ports; replicas whose clocks differ by a few
 * milliseconds only shift the window weighting by as much.
 */
import type { RateLimiter } from '../ports/rate-limiter.js';
import { checkNonEmpty } from '../shared/checks.js';
import { checkRateLimitRequest, checkRefund, decide, peekDecision } from '../shared/sliding-window.js';
import type { PostgresContext } from './postgres-context.js';

interface ConsumeRow {
  allowed: boolean;
  window_begin: number;
  current_before: number;
  previous_before: number;
}

interface LimitRow {
  window_ms: number;
  window_start: number;
  current_count: number;
  previous_count: number;
}

export function createPostgresRateLimiter({ client, s, now }: PostgresContext): RateLimiter {
  return {
    async consume(key, request) {
      checkNonEmpty(key, 'key');
      const checked = checkRateLimitRequest(request);
      const at = now();
      const { rows } = await client.query<ConsumeRow>(
        `SELECT * FROM ${s}.conduit_rate_limit_consume($1, $2, $3, $4, $5, $6)`,
        [key, at, checked.limit, checked.windowMs, checked.amount, checked.force],
      );
      const row = rows[0];
      if (!row) throw new Error('conduit_rate_limit_consume returned no row');
      const before = {
        windowStart: row.window_begin,
        current: row.current_before,
        previous: row.previous_before,
      };
      // Same IEEE arithmetic as the function, so this agrees with it; the database's verdict is
      // still the one reported, because it is the one that was recorded.
      const { decision } = decide(before, at, checked);
      if (decision.allowed === row.allowed) return decision;
      return {
        ...decision,
        allowed: row.allowed,
        retryAfterMs: row.allowed ? 0 : Math.max(1, decision.retryAfterMs),
      };
    },
    async peek(key, request) {
      const { limit, windowMs } = checkRateLimitRequest(request);
      const { rows } = await client.query<LimitRow>(
        `SELECT window_ms, window_start, current_count, previous_count FROM ${s}.rate_limits WHERE key = $1`,
        [key],
      );
      const row = rows[0];
      // A counter kept for another window length says nothing about this one.
      const state =
        row && row.window_ms === windowMs
          ? { windowStart: row.window_start, current: row.current_count, previous: row.previous_count }
          : undefined;
      return peekDecision(state, now(), limit, windowMs);
    },
    async refund(key, refund) {
      const { windowMs, amount, windowStart } = checkRefund(refund);
      // One statement, so atomic with consumes; the same cases as shared refundState.
      await client.query(
        `UPDATE ${s}.rate_limits SET
           current_count = CASE WHEN window_start = $3 THEN greatest(current_count - $4, 0) ELSE current_count END,
           previous_count = CASE WHEN window_start = $3 + $2 THEN greatest(previous_count - $4, 0) ELSE previous_count END
         WHERE key = $1 AND window_ms = $2 AND window_start IN ($3, $3 + $2)`,
        [key, windowMs, windowStart, amount],
      );
    },
    async reset(key) {
      await client.query(`DELETE FROM ${s}.rate_limits WHERE key = $1`, [key]);
    },
  };
}
