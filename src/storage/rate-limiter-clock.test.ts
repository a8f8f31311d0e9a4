// Deterministic checks of the sliding window with an injected clock, against both adapters.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createMemoryStorage } from './memory/memory-storage.js';
import type { Storage, StorageOptions } from './ports/storage.js';
import { createSqliteStorage } from './sqlite/sqlite-storage.js';

const adapters: [string, (options: StorageOptions) => Storage][] = [
  ['memory', (options) => createMemoryStorage(options)],
  ['sqlite', (options) => createSqliteStorage({ ...options, path: ':memory:' })],
];

for (const [name, open] of adapters) {
  describe(`sliding window with a fake clock (${name})`, () => {
    test('retryAfterMs is the exact moment the next request fits', async () => {
      let now = 1_000_000;
      const storage = open({ now: () => now });
      const req = { limit: 10, windowMs: 1000 };
      for (let i = 0; i < 10; i++) assert.equal((await storage.rateLimiter.consume('k', req)).allowed, true);
      now += 1000; // next window begins; the previous one still counts in full
      const refused = await storage.rateLimiter.consume('k', req);
      assert.equal(refused.allowed, false);
      assert.equal(refused.retryAfterMs, 100);
      assert.equal(refused.resetMs, 1000);
      now += 99;
      assert.equal((await storage.rateLimiter.consume('k', req)).allowed, false);
      now += 1;
      const admitted = await storage.rateLimiter.consume('k', req);
      assert.equal(admitted.allowed, true);
      assert.equal(admitted.remaining, 0);
      await storage.close();
    });

    test('after two idle windows the full limit is back', async () => {
      let now = 5_000;
      const storage = open({ now: () => now });
      const req = { limit: 3, windowMs: 1000 };
      for (let i = 0; i < 3; i++) await storage.rateLimiter.consume('k', req);
      now += 2000;
      assert.equal((await storage.rateLimiter.peek('k', req)).remaining, 3);
      await storage.close();
    });

    test('a refund after the window rolled lowers the weighted previous count exactly', async () => {
      let now = 10_000;
      const storage = open({ now: () => now });
      const req = { limit: 100, windowMs: 1000 };
      const taken = await storage.rateLimiter.consume('t', { ...req, amount: 80 });
      assert.equal(taken.windowStart, 10_000);
      now = 11_250; // a quarter into the next window: 80 * 0.75 = 60 still count
      assert.equal((await storage.rateLimiter.peek('t', req)).remaining, 40);
      await storage.rateLimiter.refund('t', { windowMs: 1000, amount: 20, windowStart: taken.windowStart });
      assert.equal((await storage.rateLimiter.peek('t', req)).remaining, 55); // 60 * 0.75 = 45 count
      await storage.close();
    });

    test('the cache expires entries by the injected clock', async () => {
      let now = 0;
      const storage = open({ now: () => now });
      await storage.cache.set('k', 'v', 1000);
      now = 999;
      assert.equal(await storage.cache.get('k'), 'v');
      now = 1000;
      assert.equal(await storage.cache.get('k'), undefined);
      await storage.close();
    });
  });
}
