/**
 * Redis adapter of `RateLimiter`: a sliding window per key in one hash, updated by a Lua script so a
 * `consume` is a single atomic round trip shared by every gateway replica. The script returns the
 * window as it was; the shared sliding-window code turns it into the decision, so `remaining` and
 * `retryAfterMs` mean the same here as with SQLite and Postgres.
 *
 * @example
 * const limiter = createRedisRateLimiter(redis, { prefix: 'conduit:' });
 * const decision = await limiter.consume(`key:${keyId}:rpm`, { limit: 60, windowMs: 60_000 });
 */
import type { Redis } from 'ioredis';
import type { RateLimiter } from '../ports/rate-limiter.js';
import { checkNonEmpty } from '../shared/checks.js';
import { checkRateLimitRequest, checkRefund, decide, peekDecision } from '../shared/sliding-window.js';
import { CONSUME_SCRIPT, PEEK_SCRIPT, REFUND_SCRIPT } from './sliding-window-scripts.js';

export interface RedisRateLimiterOptions {
  /** Prepended to every key; default `conduit:`. Counters live under `${prefix}rl:${key}`. */
  prefix?: string;
  /** Clock in ms; default the Redis server's, which every replica shares. */
  now?: () => number;
}

type Script = (key: string, ...args: string[]) => Promise<(string | number | null)[]>;

/** Registers the scripts once per client; ioredis then calls them by SHA and reloads them if needed. */
function scripts(redis: Redis): { consume: Script; peek: Script; refund: Script } {
  const commands = redis as unknown as Record<string, Script | undefined>;
  if (!commands.conduitRateLimitConsume) {
    redis.defineCommand('conduitRateLimitConsume', { numberOfKeys: 1, lua: CONSUME_SCRIPT });
    redis.defineCommand('conduitRateLimitPeek', { numberOfKeys: 1, lua: PEEK_SCRIPT });
  }
  if (!commands.conduitRateLimitRefund)
    redis.defineCommand('conduitRateLimitRefund', { numberOfKeys: 1, lua: REFUND_SCRIPT });
  const bound = (name: string): Script => {
    const fn = commands[name] as Script;
    return (key, ...args) => fn.call(redis, key, ...args);
  };
  return {
    consume: bound('conduitRateLimitConsume'),
    peek: bound('conduitRateLimitPeek'),
    refund: bound('conduitRateLimitRefund'),
  };
}

export function createRedisRateLimiter(redis: Redis, options: RedisRateLimiterOptions = {}): RateLimiter {
  const prefix = `${options.prefix ?? 'conduit:'}rl:`;
  const clock = () => (options.now ? String(options.now()) : '');
  const run = scripts(redis);

  return {
    async consume(key, request) {
      checkNonEmpty(key, 'key');
      const checked = checkRateLimitRequest(request);
      const [allowed, now, start, current, previous] = (
        await run.consume(
          prefix + key,
          clock(),
          String(checked.limit),
          String(checked.windowMs),
          String(checked.amount),
          checked.force ? '1' : '0',
        )
      ).map(Number);
      const before = { windowStart: start ?? 0, current: current ?? 0, previous: previous ?? 0 };
      const { decision } = decide(before, now ?? 0, checked);
      // The script's verdict is the one recorded, so it is the one reported.
      if (decision.allowed === (allowed === 1)) return decision;
      return {
        ...decision,
        allowed: allowed === 1,
        retryAfterMs: allowed === 1 ? 0 : Math.max(1, decision.retryAfterMs),
      };
    },
    async peek(key, request) {
      const { limit, windowMs } = checkRateLimitRequest(request);
      const [now, window, start, current, previous] = await run.peek(prefix + key, clock());
      const state =
        window !== null && Number(window) === windowMs
          ? { windowStart: Number(start), current: Number(current), previous: Number(previous) }
          : undefined;
      return peekDecision(state, Number(now), limit, windowMs);
    },
    async refund(key, refund) {
      const { windowMs, amount, windowStart } = checkRefund(refund);
      await run.refund(prefix + key, String(windowMs), String(amount), String(windowStart));
    },
    async reset(key) {
      await redis.del(prefix + key);
    },
  };
}
