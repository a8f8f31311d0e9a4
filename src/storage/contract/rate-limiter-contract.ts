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
      'refund gives reserved units back to their window, never below zero',
      run(async (limiter) => {
        const tpm = { limit: 1000, windowMs: MINUTE };
        const reserved = await limiter.consume('t', { ...tpm, amount: 600 });
        assert.equal(reserved.allowed, true);
        await limiter.refund('t', { windowMs: MINUTE, amount: 400, windowStart: reserved.windowStart });
        assert.equal((await limiter.peek('t', tpm)).remaining, 800);
        assert.equal((await limiter.consume('t', { ...tpm, amount: 800 })).allowed, true);
        assert.equal((await limiter.consume('t', { ...tpm, amount: 1 })).allowed, false);
        await limiter.refund('t', { windowMs: MINUTE, amount: 5000, windowStart: reserved.windowStart });
        assert.equal((await limiter.peek('t', tpm)).remaining, 1000);
        // A key never consumed, or another window length: nothing to give back, nothing created.
        await limiter.refund('none', { windowMs: MINUTE, amount: 10, windowStart: reserved.windowStart });
        assert.equal((await limiter.peek('none', { limit: 5, windowMs: MINUTE })).remaining, 5);
        await limiter.consume('w', { limit: 10, windowMs: MINUTE, amount: 10 });
        await limiter.refund('w', { windowMs: 1000, amount: 10, windowStart: reserved.windowStart });
        assert.equal((await limiter.consume('w', { limit: 10, windowMs: MINUTE })).allowed, false);
      }),
    );

    test(
      'a refund for units taken two windows ago changes nothing',
      run(async (limiter) => {
        const req = { limit: 10, windowMs: MINUTE, amount: 10 };
        const taken = await limiter.consume('o', req);
        await limiter.refund('o', {
          windowMs: MINUTE,
          amount: 10,
          windowStart: taken.windowStart - 2 * MINUTE,
        });
        await limiter.refund('o', { windowMs: MINUTE, amount: 10, windowStart: taken.windowStart + MINUTE });
        assert.equal((await limiter.consume('o', { limit: 10, windowMs: MINUTE })).allowed, false);
      }),
    );

    test(
      'after the window rolls, a refund takes the units from the previous count',
      run(async (limiter) => {
        const req = { limit: 10, windowMs: 400 };
        await sleep(req.windowMs - (Date.now() % req.windowMs) + 5);
        const taken = await limiter.consume('p', { ...req, amount: 10 });
        assert.equal(taken.allowed, true);
        await sleep(taken.resetMs + 20);
        // Early in the next window the previous 10 would still weigh ~9.5; given back, 10 fit again.
        await limiter.refund('p', { windowMs: req.windowMs, amount: 10, windowStart: taken.windowStart });
        assert.equal((await limiter.consume('p', { ...req, amount: 10 })).allowed, true);
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
        await rejectsWithCode(
          limiter.refund('k', { windowMs: MINUTE, amount: -1, windowStart: 0 }),
          'bad_request',
        );
      }),
    );
  });
}
