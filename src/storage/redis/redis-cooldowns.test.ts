import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { sleep } from '../contract/port-fixture.js';
import { createRedisCooldowns } from './redis-cooldowns.js';
import { deletePrefix, requireRedis, uniquePrefix } from './test-support/redis-test-server.js';

const redis = await requireRedis();
after(() => redis.quit());

const fresh = () => {
  const prefix = uniquePrefix();
  after(() => deletePrefix(redis, prefix));
  // Two handles on one prefix stand in for two gateway replicas.
  return [createRedisCooldowns(redis, { prefix }), createRedisCooldowns(redis, { prefix })] as const;
};

describe('Redis deployment cooldowns', () => {
  test('a cooldown set by one replica is seen by another until its ttl ends', async () => {
    const [a, b] = fresh();
    assert.equal(await b.get('openai/gpt-4o'), undefined);
    await a.coolDown('openai/gpt-4o', 150, '3 failures');
    const seen = await b.get('openai/gpt-4o');
    assert.equal(seen?.reason, '3 failures');
    assert.ok(seen && seen.remainingMs > 0 && seen.remainingMs <= 150, `${seen?.remainingMs}`);
    await a.coolDown('local/qwen', 60_000);
    assert.deepEqual([...(await b.active()).keys()].sort(), ['local/qwen', 'openai/gpt-4o']);
    assert.equal((await b.active()).get('local/qwen')?.reason, null);
    await sleep(200);
    assert.equal(await b.get('openai/gpt-4o'), undefined);
    assert.deepEqual([...(await b.active()).keys()], ['local/qwen']);
  });

  test('failures are counted in a window shared by replicas', async () => {
    const [a, b] = fresh();
    assert.equal(await a.recordFailure('d', 150), 1);
    assert.equal(await b.recordFailure('d', 150), 2);
    assert.equal(await a.recordFailure('d', 150), 3);
    await sleep(200);
    assert.equal(await b.recordFailure('d', 150), 1);
  });

  test('exactly one replica may probe a deployment, and reset clears everything', async () => {
    const [a, b] = fresh();
    await a.coolDown('d', 60_000, 'down');
    await a.recordFailure('d', 60_000);
    const claims = await Promise.all([a, b, a, b].map((c) => c.claimProbe('d', 60_000)));
    assert.deepEqual(claims.filter(Boolean).length, 1);
    await b.reset('d');
    assert.equal(await a.get('d'), undefined);
    assert.equal((await a.active()).size, 0);
    assert.equal(await a.recordFailure('d', 60_000), 1);
    assert.equal(await a.claimProbe('d', 60_000), true);
  });
});
