/**
 * Opens the ioredis connection behind the Redis adapters. It connects eagerly so a wrong URL fails at
 * startup with a clear message instead of at the first rate-limit check, and fails commands fast
 * while Redis is down (a gateway should answer, not queue requests behind a dead cache).
 */
import type { Redis, RedisOptions } from 'ioredis';
import { ConduitError } from '../../core/errors.js';
import { importOptional } from '../../core/optional-import.js';

export interface RedisConnectionOptions {
  /** `redis://[:password@]host:6379[/db]` or `rediss://…` for TLS. */
  url?: string;
  /** An existing client; the caller keeps ownership (it is not closed with the storage). */
  redis?: Redis;
  /** Extra ioredis settings merged over Conduit's defaults. */
  ioredis?: RedisOptions;
}

export interface RedisConnection {
  redis: Redis;
  /** Quits the connection if this module opened it. */
  close(): Promise<void>;
}

function redact(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}

export async function connectRedis(options: RedisConnectionOptions): Promise<RedisConnection> {
  if (options.redis) return { redis: options.redis, close: async () => {} };
  const url = options.url ?? 'redis://127.0.0.1:6379';
  // An optional peer dependency, loaded only when Redis is configured.
  const { Redis } = await importOptional('ioredis', 'Redis rate limits and cache', () => import('ioredis'));
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 5000,
    // Two reconnect attempts per command, then the command fails and the caller decides.
    maxRetriesPerRequest: 2,
    ...options.ioredis,
  });
  // Errors reach callers through their commands; without a listener ioredis would also log each
  // reconnect failure as an unhandled error event.
  redis.on('error', () => {});
  try {
    await redis.connect();
  } catch (cause) {
    redis.disconnect();
    throw new ConduitError(
      'internal',
      `Cannot connect to Redis at ${redact(url)}: ${(cause as Error).message.replace(/\.$/, '')}. Check that Redis runs and the URL is right.`,
      { cause, retryable: true },
    );
  }
  let closed = false;
  return {
    redis,
    async close() {
      if (closed) return;
      closed = true;
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** A key prefix safe inside SCAN's MATCH pattern: glob characters are escaped. */
export function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
