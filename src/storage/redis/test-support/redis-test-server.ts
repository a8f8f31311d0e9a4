/**
 * Test access to the Redis server that developer machines and CI run. Each port a test opens gets
 * its own key prefix, deleted again on close, so test files and parallel runs never collide. An
 * unreachable server fails the test file with the command that starts it instead of skipping.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { PortFactory } from '../../contract/port-fixture.js';
import { connectRedis, globEscape } from '../redis-connection.js';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const HOW_TO_START =
  'Start it with: redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no ' +
  '(or point TEST_REDIS_URL at another server).';

/** A connection for the test file; fails loudly when Redis is unreachable. */
export async function requireRedis(): Promise<Redis> {
  try {
    const { redis } = await connectRedis({ url: TEST_REDIS_URL, ioredis: { connectTimeout: 3000 } });
    return redis;
  } catch (error) {
    throw new Error(
      `Redis is not reachable at ${TEST_REDIS_URL} (${(error as Error).message}). ${HOW_TO_START}`,
    );
  }
}

/** A prefix no other test or run uses. */
export function uniquePrefix(): string {
  return `conduit-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${globEscape(prefix)}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** Fresh ports for contract suites: a new prefix per test, its keys deleted afterwards. */
export function prefixedPorts<T>(redis: Redis, create: (redis: Redis, prefix: string) => T): PortFactory<T> {
  return async () => {
    const prefix = uniquePrefix();
    return { port: create(redis, prefix), close: () => deletePrefix(redis, prefix) };
  };
}
