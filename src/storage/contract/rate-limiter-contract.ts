/**
 * Contract every `RateLimiter` adapter must pass. Uses real time (windows of a few hundred ms) so a
 * Redis adapter, whose clock is the server's, can run it unchanged.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RateLimiter } from '../ports/rate-limiter.js';
import { type PortFactory, rejectsWithCode, sleep, withPort } from './port-fixture.js';

const MINUTE = 60_000;

export function rateLimiterContract(adapter: string, factory: PortFactory<RateLimiter>): void {
  const run = (body: (limiter: RateLimiter) => Promise<void>) => () => withPort(factory, body);

  describe(`RateLimiter contract (${adapter})`, () => {
    test(
      '100 concurrent consumes against a limit of 10 admit exactly 10',
      run(async (limiter) => {
        const decisions = await Promise.all(
          Array.from({ length: 100 }, () => limiter.consume('key-a', { limit: 10, windowMs: MINUTE })),
        );
        assert.equal(decisions.filter((d) => d.allowed).length, 10);
        assert.deepEqual(
          decisions
            .filter((d) => d.allowed)
            .map((d) => d.remaining)
            .sort((a, b) => a - b),
          [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        );
        for (const denied of decisions.filter((d) => !d.allowed)) {
          assert.equal(denied.remaining, 0);
          assert.ok(denied.retryAfterMs > 0 && denied.retryAfterMs <= 2 * MINUTE, `${denied.retryAfterMs}`);
        }
      }),
    );

    test(
      'keys are counted separately',
      run(async (limiter) => {
        assert.equal((await limiter.consume('a', { limit: 1, windowMs: MINUTE })).allowed, true);
        assert.equal((await limiter.consume('a', { limit: 1, windowMs: MINUTE })).allowed, false);
        assert.equal((await limiter.consume('b', { limit: 1, windowMs: MINUTE })).allowed, true);
      }),
    );

    test(
      'amounts count as units (token limits); a refused amount takes nothing',
      run(async (limiter) => {
        const tpm = { limit: 1000, windowMs: MINUTE };
        assert.equal((await limiter.consume('t', { ...tpm, amount: 600 })).remaining, 400);
        const refused = await limiter.consume('t', { ...tpm, amount: 600 });
        assert.equal(refused.allowed, false);
        assert.equal(refused.remaining, 400);
        assert.equal((await limiter.consume('t', { ...tpm, amount: 400 })).allowed, true);
      }),
    );

    test(
      'force records usage past the limit, and later calls are refused',
      run(async (limiter) => {
        const tpm = { limit: 1000, windowMs: MINUTE };
        const forced = await limiter.consume('t', { ...tpm, amount: 1500, force: true });
        assert.equal(forced.allowed, false);
        assert.equal(forced.remaining, 0);
        assert.equal((await limiter.consume('t', { ...tpm, amount: 1 })).allowed, false);
        assert.equal((await limiter.peek('t', tpm)).allowed, false);
      }),
    );

    test(
      'an amount larger than the limit is never admitted',
      run(async (limiter) => {
        const decision = await limiter.consume('t', { limit: 10, windowMs: MINUTE, amount: 11 });
        assert.equal(decision.allowed, false);
        assert.equal(decision.remaining, 10);
        assert.ok(decision.retryAfterMs > MINUTE);
      }),
    );

    test(
      'waiting retryAfterMs is enough to be admitted again',
      run(async (limiter) => {
        const req = { limit: 2, windowMs: 300 };
        await limiter.consume('r', req);
        await limiter.consume('r', req);
        const refused = await limiter.consume('r', req);
        assert.equal(refused.allowed, false);
        assert.ok(refused.retryAfterMs > 0 && refused.retryAfterMs <= 600, `${refused.retryAfterMs}`);
        await sleep(refused.retryAfterMs + 25);
        assert.equal((await limiter.consume('r', req)).allowed, true);
      }),
    );

    test(
      'the window slides: a full window still weighs on the start of the next one',
      run(async (limiter) => {
        const req = { limit: 4, windowMs: 400 };
        // Start just after a window boundary so the whole burst lands in one window.
        await sleep(req.windowMs - (Date.now() % req.windowMs) + 5);
        for (let i = 0; i < 4; i++) assert.equal((await limiter.consume('s', req)).allowed, true);
        await sleep(req.windowMs - (Date.now() % req.windowMs) + 20);
        // Early in the next window most of the previous one still counts: 4 * (1 - ~0.05) > 3.
        assert.equal((await limiter.consume('s', req)).allowed, false);
      }),
    );

    test(
      'peek reports without consuming, reset forgets the key',
      run(async (limiter) => {
        const req = { limit: 2, windowMs: MINUTE };
        for (let i = 0; i < 5; i++) assert.equal((await limiter.peek('p', req)).remaining, 2);
        await limiter.consume('p', req);
        await limiter.consume('p', req);
        assert.equal((await limiter.peek('p', req)).allowed, false);
        await limiter.reset('p');
        assert.equal((await limiter.consume('p', req)).allowed, true);
      }),
    );

    test(
      'nonsensical arguments are refused',
      run(async (limiter) => {
        await rejectsWithCode(limiter.consume('k', { limit: 10, windowMs: 0 }), 'bad_request');
        await rejectsWithCode(limiter.consume('k', { limit: -1, windowMs: MINUTE }), 'bad_request');
        await rejectsWithCode(
          limiter.consume('k', { limit: 10, windowMs: MINUTE, amount: 0 }),
          'bad_request',
        );
        await rejectsWithCode(limiter.consume('', { limit: 10, windowMs: MINUTE }), 'bad_request');
      }),
    );
  });
}
