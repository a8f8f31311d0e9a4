import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collectStream } from '../../core/collect-stream.js';
import { ConduitError } from '../../core/errors.js';
import type { Principal } from '../../core/language-model.js';
import type { RateLimiter } from '../../storage/ports/rate-limiter.js';
import { shouldFallback } from '../router.js';
import { checkModelAccess, keyLimits } from './key-limits.js';
import { createFakeModel } from './test-support/fake-model.js';
import { createTrackedLimiter, virtualKey } from './test-support/policy-fixtures.js';

const request = { messages: [{ role: 'user' as const, content: 'hi' }] };

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

  test('tpm: tokens are counted from usage when a stream ends, so the next call is refused', async () => {
    const limiter = createTrackedLimiter();
    const model = keyLimits({ limiter })(
      createFakeModel({
        steps: [
          { usage: { promptTokens: 6, completionTokens: 6, totalTokens: 12 } },
          { usage: { promptTokens: 1, completionTokens: 0, totalTokens: 1 } },
        ],
      }),
    );
    const principal = virtualKey({ tpm: 10 });
    const first = model.stream(request, { principal })[Symbol.asyncIterator]();
    await first.next();
    // While the first stream runs its tokens are unknown: a second call is admitted (tpm is peeked).
    await model.generate(request, { principal });
    while (!(await first.next()).done);
    await limiter.settled();
    await assert.rejects(model.generate(request, { principal }), (e: unknown) => {
      assert.ok(isError('rate_limited')(e));
      assert.match((e as ConduitError).message, /10 tokens/);
      assert.equal((e as ConduitError).status, 429);
      return true;
    });
  });

  test('a refused or failed call counts no tokens', async () => {
    const limiter = createTrackedLimiter();
    const principal = virtualKey({ tpm: 10 });
    const failing = keyLimits({ limiter })(
      createFakeModel({ steps: [{ fail: new ConduitError('upstream_error', 'x') }] }),
    );
    await assert.rejects(failing.generate(request, { principal }), isError('upstream_error'));
    await limiter.settled();
    const decision = await limiter.peek('key:key-1:tpm', { limit: 10, windowMs: 60_000 });
    assert.equal(decision.remaining, 10);
  });

  test('master, local, anonymous and unidentified callers pass untouched', async () => {
    const untouchable: RateLimiter = {
      consume: () => assert.fail('no limiter call for this caller'),
      peek: () => assert.fail('no limiter call for this caller'),
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
