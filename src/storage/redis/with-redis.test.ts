// Postgres for durable ports plus Redis for limits and cache, opened the way the gateway opens it.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ConduitError } from '../../core/errors.js';
import { generateKeySecret } from '../key-secret.js';
import { openStorage } from '../open-storage.js';
import {
  dropSchema,
  requirePostgres,
  TEST_POSTGRES_URL,
  uniqueSchema,
} from '../postgres/test-support/postgres-test-database.js';
import {
  deletePrefix,
  requireRedis,
  TEST_REDIS_URL,
  uniquePrefix,
} from './test-support/redis-test-server.js';
import type { RedisBackedStorage } from './with-redis.js';

const admin = await requirePostgres();
const redis = await requireRedis();
after(async () => {
  await admin.end();
  await redis.quit();
});

const withSchema = (schema: string) =>
  `${TEST_POSTGRES_URL}${TEST_POSTGRES_URL.includes('?') ? '&' : '?'}schema=${schema}`;

describe('openStorage with postgres:// and { redis }', () => {
  test('durable ports go to Postgres, the limiter and cache to Redis, and close releases both', async () => {
    const schema = uniqueSchema('combo');
    const prefix = uniquePrefix();
    const storage = (await openStorage(withSchema(schema), {
      redis: { url: TEST_REDIS_URL, prefix },
    })) as RedisBackedStorage;
    try {
      assert.equal(storage.kind, 'postgres+redis');
      const secret = generateKeySecret();
      await storage.keys.create({ name: 'ci', hash: secret.hash, prefix: secret.prefix });
      await storage.cache.set('response', 'cached');
      await storage.rateLimiter.consume('rpm', { limit: 5, windowMs: 60_000 });
      await storage.cooldowns.coolDown('openai/gpt-4o', 60_000, 'test');

      const keys = await admin.query(`SELECT name FROM "${schema}".virtual_keys`);
      assert.deepEqual(keys.rows, [{ name: 'ci' }]);
      const cacheRows = await admin.query(`SELECT count(*)::int AS n FROM "${schema}".cache_entries`);
      assert.equal(cacheRows.rows[0].n, 0);
      assert.ok(await redis.exists(`${prefix}cache:response`));
      assert.ok(await redis.exists(`${prefix}rl:rpm`));
    } finally {
      await storage.close();
      await storage.close();
      await deletePrefix(redis, prefix);
      await dropSchema(admin, schema);
    }
    assert.equal(storage.redis.status, 'end');
  });

  test('an unreachable server fails at open with the address, never later', async () => {
    await assert.rejects(openStorage('postgres://postgres@127.0.0.1:1/nowhere'), (error: unknown) => {
      assert.ok(ConduitError.isInstance(error));
      assert.match(
        error.message,
        /Cannot connect to PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/nowhere/,
      );
      return true;
    });
    await assert.rejects(
      openStorage('memory:', { redis: 'redis://:secret@127.0.0.1:1' }),
      (error: unknown) => {
        assert.ok(ConduitError.isInstance(error));
        assert.match(error.message, /Cannot connect to Redis at redis:\/\/\*\*\*@127\.0\.0\.1:1/);
        return true;
      },
    );
  });

  test('a postgres:// URL with a bad schema name is refused before connecting', async () => {
    await assert.rejects(openStorage(withSchema('no-dashes')), /Invalid PostgreSQL schema name/);
  });
});
