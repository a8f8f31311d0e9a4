import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkRateLimitRequest, decide, type WindowState } from './sliding-window.js';

const MINUTE = 60_000;

describe('sliding window retryAfterMs', () => {
  test('is exactly the wait until admission: a burst of 60 at a window start waits 61 s, not 60', () => {
    const request = checkRateLimitRequest({ limit: 60, windowMs: MINUTE });
    let state: WindowState | undefined;
    for (let i = 0; i < 60; i++) state = decide(state, 0, request).state;
    const refused = decide(state, 0, request).decision;
    assert.equal(refused.allowed, false);
    // The previous window's 60 still weigh 60 * (1 - elapsed / window) after it ends, so one more fits
    // only 1/60 of a window (1 s) later: 61 s is the true wait, and a client told 60 would be refused.
    assert.equal(refused.retryAfterMs, 61_000);
    assert.equal(decide(state, refused.retryAfterMs - 1, request).decision.allowed, false);
    assert.equal(decide(state, MINUTE, request).decision.allowed, false);
    assert.equal(decide(state, refused.retryAfterMs, request).decision.allowed, true);
  });

  test('is never more than needed mid-window', () => {
    const request = checkRateLimitRequest({ limit: 2, windowMs: MINUTE });
    let state: WindowState | undefined;
    for (const t of [30_000, 30_000]) state = decide(state, t, request).state;
    const refused = decide(state, 30_000, request).decision;
    assert.equal(decide(state, 30_000 + refused.retryAfterMs - 1, request).decision.allowed, false);
    assert.equal(decide(state, 30_000 + refused.retryAfterMs, request).decision.allowed, true);
  });
});
