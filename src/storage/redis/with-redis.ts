/**
 * Puts the ports a gateway fleet hits on every request onto Redis: the rate limiter and the response
 * cache move to Redis, everything durable (keys, usage log, budgets, documents, evals, traces) stays in the
 * base storage, typically PostgreSQL. Also exposes deployment cooldowns for the router.
 *
 * @example
 * const storage = await withRedis(await createPostgresStorage({ url: process.env.DATABASE_URL }), {
 *   url: 'redis://redis.internal:6379',
 * });
 * storage.kind; // 'postgres+redis'
 * // or: await openStorage('postgres://…', { redis: 'redis://…' })
 */
import type { Redis } from 'ioredis';
import type { Storage } from '../ports/storage.js';
import { createRedisCache } from './redis-cache.js';
import { connectRedis, type RedisConnectionOptions } from './redis-connection.js';
import { createRedisCooldowns, type DeploymentCooldowns } from './redis-cooldowns.js';
import { createRedisRateLimiter } from './redis-rate-limiter.js';

export interface WithRedisOptions extends RedisConnectionOptions {
  /** Prepended to every Redis key, so several Conduit installations can share one Redis; default `conduit:`. */
  prefix?: string;
  /** Clock for rate limits; default the Redis server's, which all replicas share. */
  now?: () => number;
}

export interface RedisBackedStorage<S extends Storage = Storage> extends Storage {
  /** The base storage, which still serves every durable port. */
  readonly base: S;
  readonly redis: Redis;
  readonly cooldowns: DeploymentCooldowns;
}

/** Closes `base` too when the storage is closed; if Redis cannot be reached, `base` is left open. */
export async function withRedis<S extends Storage>(
  base: S,
  options: WithRedisOptions,
): Promise<RedisBackedStorage<S>> {
  const connection = await connectRedis(options);
  const { redis } = connection;
  const prefix = options.prefix ?? 'conduit:';
  let closed = false;
  return {
    kind: `${base.kind}+redis`,
    base,
    redis,
    keys: base.keys,
    usage: base.usage,
    cache: createRedisCache(redis, { prefix }),
    rateLimiter: createRedisRateLimiter(redis, { prefix, now: options.now }),
    // Budgets are money: they stay in the durable store even though Redis is shared too.
    budgets: base.budgets,
    documents: base.documents,
    evals: base.evals,
    traces: base.traces,
    cooldowns: createRedisCooldowns(redis, { prefix }),
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([connection.close(), base.close()]);
    },
  };
}
