import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collectStream } from '../../core/collect-stream.js';
import { ConduitError } from '../../core/errors.js';
import type { Principal } from '../../core/language-model.js';
import type { RateLimiter } from '../../storage/ports/rate-limiter.js';
import { shouldFallback } from '../router.js';
import { checkModelAccess, keyLimits } from './key-limits.js';
import { createFakeModel, deferred, USAGE } from './test-support/fake-model.js';
import { createTrackedLimiter, virtualKey } from './test-support/policy-fixtures.js';

const request = { messages: [{ role: 'user' as const, content: 'hi' }] };

/** Reserves 8 prompt tokens (32 characters of JSON) and 10 of output. */
const small = { ...request, max_tokens: 10 };
const TPM_KEY = 'key:key-1:tpm';
const MINUTE_OF = (limit: number) => ({ limit, windowMs: 60_000 });

const isError = (code: string) => (e: unknown) => ConduitError.isInstance(e) && e.code === code;

describe('keyLimits', () => {
  test('a key limited to model A may call A and is refused (permission, param model) for B', async () => {
    const limiter = createTrackedLimiter();
    const principal = virtualKey({ models: ['fast'] });
    const a = keyLimits({ limiter })(createFakeModel({ modelId: 'fast' }));
    const bFake = createFakeModel({ modelId: 'slow' });
    const b = keyLimits({ limiter })(bFake);
    assert.equal((await a.generate(request, { principal })).finishReason, 'stop');
    for (const call of [
      () => b.generate(request, { principal }),
      () => collectStream(b.stream(request, { principal })),
    ]) {
      await assert.rejects(call(), (e: unknown) => {
        assert.ok(ConduitError.isInstance(e));
        assert.equal(e.code, 'permission');
        assert.equal(e.status, 403);
        assert.equal(e.param, 'model');
        assert.match(e.message, /"slow".*fast/);
        return true;
      });
    }
    assert.equal(bFake.calls.length, 0, 'the refused model was never called');
    assert.doesNotThrow(
      () => checkModelAccess(virtualKey().key, 'anything'),
      'an empty list allows every model',
    );
  });

  test('rpm 2: the third call in the minute is a 429 with a retry-after, not retryable elsewhere', async () => {
    const fake = createFakeModel();
    const model = keyLimits({ limiter: createTrackedLimiter() })(fake);
    const principal = virtualKey({ rpm: 2 });
    await model.generate(request, { principal });
    await collectStream(model.stream(request, { principal }));
    await assert.rejects(model.generate(request, { principal }), (e: unknown) => {
      assert.ok(ConduitError.isInstance(e));
      assert.equal(e.code, 'rate_limited');
      assert.equal(e.status, 429);
      assert.ok((e.retryAfterMs ?? 0) > 0, 'tells the client when to retry');
      assert.equal(e.retryable, false);
      assert.equal(shouldFallback(e), false, 'a router does not try another deployment for it');
      assert.match(e.message, /2 requests/);
      return true;
    });
    assert.equal(fake.calls.length, 2);
    // Another key has its own window.
    await model.generate(request, { principal: virtualKey({ id: 'key-2', rpm: 2 }) });
  });

  test('tpm reserves each call’s estimate: calls in flight beyond the limit are refused, and what a call did not use comes back', async () => {
    const limiter = createTrackedLimiter();
    const gate = deferred();
    const small = { promptTokens: 6, completionTokens: 6, totalTokens: 12 };
    const fake = createFakeModel({ steps: [1, 2, 3].map(() => ({ gate: gate.promise, usage: small })) });
    const model = keyLimits({ limiter })(fake);
    const principal = virtualKey({ tpm: 1000 });
    // Each reserves its prompt (32 characters of JSON: 8 tokens) and max_tokens 300: 308.
    const ask = { ...request, max_tokens: 300 };
    const inFlight = [1, 2, 3].map(() => model.generate(ask, { principal }));
    await assert.rejects(model.generate(ask, { principal }), (e: unknown) => {
      assert.ok(isError('rate_limited')(e));
      assert.match((e as ConduitError).message, /1000 tokens/);
      assert.ok(((e as ConduitError).retryAfterMs ?? 0) > 0);
      return true;
    });
    assert.equal(fake.calls.length, 3, 'the refused call never reached the model');
    gate.resolve();
    await Promise.all(inFlight);
    await limiter.settled();
    assert.equal((await limiter.peek(TPM_KEY, MINUTE_OF(1000))).remaining, 1000 - 3 * 12);
    await model.generate(ask, { principal });
  });

  test('a call without max_tokens reserves the default output, clamped to the limit so it can run in an empty window', async () => {
    const limiter = createTrackedLimiter();
    const gate = deferred();
    const model = keyLimits({ limiter })(createFakeModel({ steps: [{ gate: gate.promise }] }));
    const principal = virtualKey({ tpm: 100 });
    const first = model.generate(request, { principal });
    await assert.rejects(model.generate(small, { principal }), isError('rate_limited'));
    gate.resolve();
    await first;
    await limiter.settled();
    assert.equal((await limiter.peek(TPM_KEY, MINUTE_OF(100))).remaining, 100 - USAGE.totalTokens);
    // The window is no longer empty, so the default's 100 no longer fits; a call with max_tokens does.
    await assert.rejects(model.generate(request, { principal }), isError('rate_limited'));
    await model.generate({ ...request, max_tokens: 50 }, { principal });
  });

  test('a call that used more than its estimate is counted in full', async () => {
    const limiter = createTrackedLimiter();
    const usage = { promptTokens: 100, completionTokens: 800, totalTokens: 900 };
    const model = keyLimits({ limiter })(createFakeModel({ steps: [{ usage }] }));
    await collectStream(
      model.stream({ ...request, max_tokens: 10 }, { principal: virtualKey({ tpm: 1000 }) }),
    );
    await limiter.settled();
    assert.equal((await limiter.peek(TPM_KEY, MINUTE_OF(1000))).remaining, 100);
  });

  test('a call refused by rpm gives its tpm reservation back', async () => {
    const limiter = createTrackedLimiter();
    const model = keyLimits({ limiter })(createFakeModel());
    const principal = virtualKey({ rpm: 1, tpm: 1000 });
    await model.generate(small, { principal });
    await assert.rejects(model.generate(small, { principal }), /1 requests/);
    await limiter.settled();
    assert.equal((await limiter.peek(TPM_KEY, MINUTE_OF(1000))).remaining, 1000 - USAGE.totalTokens);
  });

  test('a call refused by tpm does not use up a request of rpm', async () => {
    const limiter = createTrackedLimiter();
    const gate = deferred();
    const model = keyLimits({ limiter })(createFakeModel({ steps: [{ gate: gate.promise }] }));
    const principal = virtualKey({ rpm: 2, tpm: 100 });
    const first = model.generate(request, { principal });
    await assert.rejects(model.generate(small, { principal }), /100 tokens/);
    gate.resolve();
    await first;
    await limiter.settled();
    // Only the first call counted against rpm 2, so this one is admitted.
    await model.generate(small, { principal });
  });

  test('a refused or failed call counts no tokens', async () => {
    const limiter = createTrackedLimiter();
    const principal = virtualKey({ tpm: 10 });
    const failing = keyLimits({ limiter })(
      createFakeModel({ steps: [{ fail: new ConduitError('upstream_error', 'x') }] }),
    );
    await assert.rejects(failing.generate(request, { principal }), isError('upstream_error'));
    await limiter.settled();
    assert.equal((await limiter.peek(TPM_KEY, MINUTE_OF(10))).remaining, 10);
  });

  test('master, local, anonymous and unidentified callers pass untouched', async () => {
    const untouchable: RateLimiter = {
      consume: () => assert.fail('no limiter call for this caller'),
      peek: () => assert.fail('no limiter call for this caller'),
      refund: () => assert.fail('no limiter call for this caller'),
      reset: () => assert.fail('no limiter call for this caller'),
    };
    const fake = createFakeModel({ modelId: 'any' });
    const model = keyLimits({ limiter: untouchable })(fake);
    const callers: (Principal | undefined)[] = [
      { kind: 'master' },
      { kind: 'local' },
      { kind: 'anonymous' },
      undefined,
    ];
    for (const principal of callers) {
      for (let i = 0; i < 3; i++) await model.generate(request, { principal });
      await collectStream(model.stream(request, { principal }));
    }
    assert.equal(fake.calls.length, 16);
  });
});
