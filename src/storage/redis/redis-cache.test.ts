// The cache contract against a real Redis; Redis expires entries itself, so prune() finds none.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { cacheContract } from '../contract/index.js';
import { createRedisCache } from './redis-cache.js';
import { deletePrefix, prefixedPorts, requireRedis, uniquePrefix } from './test-support/redis-test-server.js';

const redis = await requireRedis();
after(() => redis.quit());

cacheContract(
  'redis',
  prefixedPorts(redis, (client, prefix) => createRedisCache(client, { prefix })),
  { expiresItself: true },
);

test('clear() deletes only its own prefix', async () => {
  const [a, b] = [uniquePrefix(), uniquePrefix()];
  const mine = createRedisCache(redis, { prefix: a });
  const theirs = createRedisCache(redis, { prefix: b });
  await mine.set('k', 'mine');
  await theirs.set('k', 'theirs');
  await mine.clear();
  assert.equal(await mine.get('k'), undefined);
  assert.equal(await theirs.get('k'), 'theirs');
  await deletePrefix(redis, b);
});
