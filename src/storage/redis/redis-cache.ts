/**
 * Redis adapter of `Cache`: `SET … PX ttl` and `GET`, so Redis itself expires entries and every
 * gateway replica shares hits. One leading byte records whether the value was a string or a Buffer,
 * so it comes back as the type it was stored as.
 *
 * Differences from the SQL adapters: expiry follows the Redis server's clock (an injected `now`
 * does not apply), and `prune()` returns 0 because expired entries are already gone.
 */
import type { Redis } from 'ioredis';
import type { Cache, CacheValue } from '../ports/cache.js';
import { checkCacheEntry } from '../shared/checks.js';
import { globEscape } from './redis-connection.js';

export interface RedisCacheOptions {
  /** Prepended to every key; default `conduit:`. Entries live under `${prefix}cache:${key}`. */
  prefix?: string;
}

const STRING = 0x73; // 's'
const BYTES = 0x62; // 'b'

function encode(value: CacheValue): Buffer {
  return typeof value === 'string'
    ? Buffer.concat([Buffer.of(STRING), Buffer.from(value, 'utf8')])
    : Buffer.concat([Buffer.of(BYTES), value]);
}

function decode(stored: Buffer): CacheValue | undefined {
  const body = stored.subarray(1);
  if (stored[0] === STRING) return body.toString('utf8');
  if (stored[0] === BYTES) return Buffer.from(body);
  return undefined; // not written by this adapter
}

export function createRedisCache(redis: Redis, options: RedisCacheOptions = {}): Cache {
  const prefix = `${options.prefix ?? 'conduit:'}cache:`;

  return {
    async get(key) {
      const stored = await redis.getBuffer(prefix + key);
      return stored ? decode(stored) : undefined;
    },
    async set(key: string, value: CacheValue, ttlMs?: number) {
      checkCacheEntry(key, value, ttlMs);
      // A plain SET also clears an earlier entry's ttl, as the port requires.
      if (ttlMs === undefined) await redis.set(prefix + key, encode(value));
      else await redis.set(prefix + key, encode(value), 'PX', Math.ceil(ttlMs));
    },
    async delete(key) {
      return (await redis.del(prefix + key)) > 0;
    },
    async clear() {
      // SCAN walks the keyspace in steps without blocking Redis the way KEYS would.
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${globEscape(prefix)}*`, 'COUNT', 500);
        if (keys.length > 0) await redis.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    },
    async prune() {
      return 0;
    },
  };
}
