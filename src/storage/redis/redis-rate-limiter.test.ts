// The rate-limiter contract against a real Redis, plus the property a gateway fleet relies on: two
// processes sharing one limit admit exactly the limit between them.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { rateLimiterContract } from '../contract/index.js';
import { runChild } from '../sqlite/test-support/run-child.js';
import { createRedisRateLimiter } from './redis-rate-limiter.js';
import {
  deletePrefix,
  prefixedPorts,
  requireRedis,
  TEST_REDIS_URL,
  uniquePrefix,
} from './test-support/redis-test-server.js';

const redis = await requireRedis();
after(() => redis.quit());

rateLimiterContract(
  'redis',
  prefixedPorts(redis, (client, prefix) => createRedisRateLimiter(client, { prefix })),
);

describe('Redis rate limiter', () => {
  test('an injected clock steps the window exactly like the shared math', async () => {
    let now = 1_000_000;
    const prefix = uniquePrefix();
    const limiter = createRedisRateLimiter(redis, { prefix, now: () => now });
    const req = { limit: 10, windowMs: 1000 };
    for (let i = 0; i < 10; i++) assert.equal((await limiter.consume('k', req)).allowed, true);
    now += 1000;
    const refused = await limiter.consume('k', req);
    assert.equal(refused.allowed, false);
    assert.equal(refused.retryAfterMs, 100);
    now += 100;
    assert.deepEqual(await limiter.consume('k', req), {
      allowed: true,
      limit: 10,
      remaining: 0,
      resetMs: 900,
      retryAfterMs: 0,
      windowStart: 1_001_000,
    });
    await deletePrefix(redis, prefix);
  });

  test('fractional amounts survive the round trip through Lua', async () => {
    const prefix = uniquePrefix();
    const limiter = createRedisRateLimiter(redis, { prefix });
    const req = { limit: 1, windowMs: 60_000 };
    for (let i = 0; i < 10; i++)
      assert.equal((await limiter.consume('f', { ...req, amount: 0.1 })).allowed, true);
    assert.equal((await limiter.consume('f', { ...req, amount: 0.1 })).allowed, false);
    await deletePrefix(redis, prefix);
  });

  test('two processes sharing one limit of 60 admit exactly 60 of 100 attempts', async () => {
    const prefix = uniquePrefix();
    const startAt = Date.now() + 2500;
    const child = `
      import { connectRedis, createRedisRateLimiter } from 'STORAGE';
      const { redis, close } = await connectRedis({ url: process.argv[2] });
      const limiter = createRedisRateLimiter(redis, { prefix: process.argv[3] });
      // Start together so the consumes really interleave.
      while (Date.now() < Number(process.argv[4])) await new Promise((r) => setTimeout(r, 5));
      const decisions = await Promise.all(
        Array.from({ length: 50 }, () => limiter.consume('key:rpm', { limit: 60, windowMs: 60000 })),
      );
      await close();
      console.log(decisions.filter((d) => d.allowed).length);
    `;
    const results = await Promise.all(
      [0, 1].map(() => runChild(child, [TEST_REDIS_URL, prefix, String(startAt)])),
    );
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const admitted = results.map((r) => Number(r.stdout.trim()));
    assert.equal(admitted[0]! + admitted[1]!, 60, `per process: ${admitted.join(', ')}`);
    await deletePrefix(redis, prefix);
  });
});
