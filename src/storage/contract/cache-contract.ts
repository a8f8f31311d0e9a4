/** Contract every `Cache` adapter must pass. Uses real time with wide margins, so Redis can run it too. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Cache } from '../ports/cache.js';
import { type PortFactory, rejectsWithCode, sleep, withPort } from './port-fixture.js';

export interface CacheContractOptions {
  /**
   * The backend deletes expired entries by itself (Redis), so `prune()` finds none and returns 0.
   * Expired entries must still never be returned.
   */
  expiresItself?: boolean;
}

export function cacheContract(
  adapter: string,
  factory: PortFactory<Cache>,
  options: CacheContractOptions = {},
): void {
  const run = (body: (cache: Cache) => Promise<void>) => () => withPort(factory, body);

  describe(`Cache contract (${adapter})`, () => {
    test(
      'values come back as the type they were stored as',
      run(async (cache) => {
        await cache.set('text', '{"choices":[]}');
        await cache.set('digits', '00123');
        await cache.set('bytes', Buffer.from([0, 1, 2, 255]));
        assert.equal(await cache.get('text'), '{"choices":[]}');
        assert.equal(await cache.get('digits'), '00123');
        const bytes = await cache.get('bytes');
        assert.ok(Buffer.isBuffer(bytes));
        assert.deepEqual([...bytes], [0, 1, 2, 255]);
        assert.equal(await cache.get('missing'), undefined);
      }),
    );

    test(
      'set overwrites value and ttl',
      run(async (cache) => {
        await cache.set('k', 'old', 20);
        await cache.set('k', 'new');
        await sleep(60);
        assert.equal(await cache.get('k'), 'new');
      }),
    );

    test(
      'expired entries are never returned',
      run(async (cache) => {
        await cache.set('short', 'a', 20);
        await cache.set('long', 'b', 60_000);
        await cache.set('forever', 'c');
        assert.equal(await cache.get('short'), 'a');
        await sleep(60);
        assert.equal(await cache.get('short'), undefined);
        assert.equal(await cache.get('long'), 'b');
        assert.equal(await cache.get('forever'), 'c');
      }),
    );

    test(
      'prune removes expired entries and only them',
      run(async (cache) => {
        await cache.set('x', 'a', 20);
        await cache.set('y', Buffer.from('b'), 20);
        await cache.set('long', 'c', 60_000);
        await sleep(60);
        assert.equal(await cache.prune(), options.expiresItself ? 0 : 2);
        assert.equal(await cache.get('x'), undefined);
        assert.equal(await cache.prune(), 0);
        assert.equal(await cache.get('long'), 'c');
      }),
    );

    test(
      'delete and clear',
      run(async (cache) => {
        await cache.set('a', '1');
        await cache.set('b', '2');
        assert.equal(await cache.delete('a'), true);
        assert.equal(await cache.delete('a'), false);
        assert.equal(await cache.get('a'), undefined);
        await cache.clear();
        assert.equal(await cache.get('b'), undefined);
      }),
    );

    test(
      'a ttl that is not positive is refused',
      run(async (cache) => {
        await rejectsWithCode(cache.set('a', '1', 0), 'bad_request');
        await rejectsWithCode(cache.set('a', '1', -5), 'bad_request');
        assert.equal(await cache.get('a'), undefined);
      }),
    );
  });
}
