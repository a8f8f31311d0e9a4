import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChatRequest } from '../../core/chat-request.js';
import { collectStream } from '../../core/collect-stream.js';
import { ConduitError } from '../../core/errors.js';
import type { CallOptions, CallReport } from '../../core/language-model.js';
import { cacheKey } from '../response-cache.js';
import { responseCache } from './response-cache.js';
import { COST, createFakeModel, type FakeStep, USAGE } from './test-support/fake-model.js';
import { createTrackedResponseCache } from './test-support/policy-fixtures.js';

const request: ChatRequest = { messages: [{ role: 'user', content: 'cache me' }] };

function setup(steps: FakeStep[] = [], maxEntryBytes?: number) {
  const cache = createTrackedResponseCache(maxEntryBytes);
  const fake = createFakeModel({ steps });
  const lookups: boolean[] = [];
  const model = responseCache({ cache, onLookup: (hit) => lookups.push(hit) })(fake);
  const call = (extra: CallOptions = {}): CallOptions & { report: CallReport } => ({
    report: { attempts: [] },
    ...extra,
  });
  return { cache, fake, lookups, model, call };
}

describe('responseCache', () => {
  test('a miss calls the model and is stored; the same request then hits without calling it, at zero cost', async () => {
    const { cache, fake, lookups, model, call } = setup();
    const missCall = call();
    const miss = await model.generate(request, missCall);
    assert.equal(missCall.report.cacheHit, false);
    assert.deepEqual(miss.cost, COST);
    await cache.written();

    const hitCall = call({ requestId: 'req-2' });
    const hit = await model.generate({ ...request, user: 'someone else' }, hitCall);
    assert.equal(fake.calls.length, 1, 'the model was called once');
    assert.equal(hitCall.report.cacheHit, true);
    assert.equal(hit.text, miss.text);
    assert.deepEqual(hit.usage, miss.usage);
    assert.equal(hit.cost?.total, 0);
    assert.equal(hit.providerMetadata?.cacheHit, true);
    assert.equal(hit.id, 'chatcmpl-req-2', 'a hit answers under this request’s id');
    assert.deepEqual(lookups, [false, true]);
  });

  test('a different request or another model is a miss', async () => {
    const { cache, fake, model } = setup();
    await model.generate(request);
    await cache.written();
    await model.generate({ ...request, temperature: 0.5 });
    const other = responseCache({ cache })(createFakeModel({ modelId: 'other' }));
    await other.generate(request);
    assert.equal(fake.calls.length, 2);
  });

  test('a streaming hit replays the cached answer: identical text and usage, as several events', async () => {
    const text = 'An answer long enough to be replayed in more than one chunk of text, as a live stream is.';
    const { cache, fake, model, call } = setup([{ text }]);
    const original = await model.generate(request);
    await cache.written();
    const hitCall = call();
    const events = [];
    for await (const event of model.stream(request, hitCall)) events.push(event);
    const replayed = await collectStream(events);
    assert.equal(fake.calls.length, 1);
    assert.equal(hitCall.report.cacheHit, true);
    assert.equal(replayed.text, original.text);
    assert.deepEqual(replayed.usage, original.usage);
    assert.equal(replayed.cost?.total, 0);
    assert.ok(events.filter((e) => e.type === 'text-delta').length > 1);
  });

  test('a streamed miss is folded and stored once complete, then served to generate', async () => {
    const { cache, fake, model } = setup([{ text: 'streamed answer, folded as it passes' }]);
    const streamed = await collectStream(model.stream(request));
    assert.equal(await cache.written(), 1);
    const hit = await model.generate(request);
    assert.equal(fake.calls.length, 1);
    assert.equal(hit.text, streamed.text);
    assert.deepEqual(hit.usage, USAGE);
  });

  test('bypass calls the model every time and stores nothing', async () => {
    const { cache, fake, lookups, model, call } = setup();
    await model.generate(request);
    await cache.written();
    const bypassCall = call({ cache: 'bypass' });
    await model.generate(request, bypassCall);
    await collectStream(model.stream({ ...request, temperature: 1 }, call({ cache: 'bypass' })));
    assert.equal(fake.calls.length, 2 + 1);
    assert.equal(bypassCall.report.cacheHit, undefined, 'the cache was not consulted');
    assert.equal(await cache.written(), 1, 'only the first, cached call wrote');
    assert.deepEqual(lookups, [false]);
  });

  test('failed and cut-off streams are not cached', async () => {
    const { cache, fake, model } = setup([
      { failMidStream: new ConduitError('upstream_error', 'cut') },
      { fail: new ConduitError('overloaded', 'busy') },
      { text: 'a long answer that the client stops reading' },
    ]);
    await assert.rejects(collectStream(model.stream(request)), /cut/);
    await assert.rejects(collectStream(model.stream(request)), /busy/);
    for await (const event of model.stream(request)) if (event.type === 'text-delta') break;
    assert.equal(await cache.written(), 0);
    await model.generate(request);
    assert.equal(fake.calls.length, 4, 'the next call was still a miss');
  });

  test('an answer larger than maxEntryBytes is not cached', async () => {
    const big = 'x'.repeat(2_000);
    const { cache, fake, model } = setup([{ text: big }, { text: big }, { text: big }], 1_000);
    await model.generate(request);
    await collectStream(model.stream(request));
    await cache.written();
    assert.equal(await cache.get(cacheKey(fake.modelId, request)), undefined);
    await model.generate(request);
    assert.equal(fake.calls.length, 3, 'every call was a miss');
  });
});
