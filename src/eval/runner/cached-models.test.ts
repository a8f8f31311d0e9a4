import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChatEvent } from '../../core/chat-event.js';
import { collectStream } from '../../core/collect-stream.js';
import { ConduitError } from '../../core/errors.js';
import { createScriptedModel } from '../../core/generate/test-support/scripted-model.js';
import { fakeEmbedder } from '../assertions/test-support/fake-embedder.js';
import { withEmbeddingCache, withEvalCache } from './cached-models.js';
import { createMemoryResponseCache, requestKey, stableJson } from './disk-cache.js';

const request = (content: string) => ({ messages: [{ role: 'user' as const, content }], temperature: 0 });

describe('withEvalCache', () => {
  test('a repeated request is served from the cache with the original latency', async () => {
    const inner = createScriptedModel({ steps: [{ text: 'one' }] });
    const model = withEvalCache(inner, { cache: createMemoryResponseCache() });
    const first = await model.generateWithInfo(request('a'));
    const second = await model.generateWithInfo(request('a'));
    assert.deepEqual([first.cached, second.cached, second.result.text], [false, true, 'one']);
    assert.equal(second.latencyMs, first.latencyMs);
    assert.equal(inner.requests.length, 1);
  });

  test('identical requests in flight share one call; different ones do not', async () => {
    const inner = createScriptedModel({ steps: [{ text: 'x' }, { text: 'y' }] });
    const model = withEvalCache(inner, { cache: createMemoryResponseCache() });
    const results = await Promise.all([
      model.generateWithInfo(request('a')),
      model.generateWithInfo(request('a')),
      model.generateWithInfo(request('b')),
    ]);
    assert.equal(inner.requests.length, 2);
    assert.deepEqual(
      results.map((r) => [r.result.text, r.cached]),
      [
        ['x', false],
        ['x', true],
        ['y', false],
      ],
    );
  });

  test('a failed call is not cached', async () => {
    const inner = createScriptedModel({
      steps: [
        () => {
          throw new ConduitError('upstream_error', 'down');
        },
        { text: 'back' },
      ],
    });
    const model = withEvalCache(inner, { cache: createMemoryResponseCache() });
    await assert.rejects(model.generate(request('a')), /down/);
    assert.equal((await model.generate(request('a'))).text, 'back');
  });

  test('streams are cached too and replayed as events', async () => {
    const inner = createScriptedModel({ steps: [{ text: 'streamed text' }] });
    const model = withEvalCache(inner, { cache: createMemoryResponseCache() });
    const first = await collectStream(model.stream(request('s')));
    const events: ChatEvent[] = [];
    for await (const event of model.stream(request('s'))) events.push(event);
    assert.equal(inner.requests.length, 1);
    assert.deepEqual(
      events.map((e) => e.type),
      ['start', 'text-delta', 'usage', 'finish'],
    );
    assert.equal((await collectStream(model.stream(request('s')))).text, first.text);
  });

  test('without a cache every call goes through, and capabilities are kept', async () => {
    const inner = createScriptedModel({
      steps: [{ text: '1' }, { text: '2' }],
      capabilities: { jsonSchema: true },
    });
    const model = withEvalCache(inner);
    assert.equal((await model.generate(request('a'))).text, '1');
    assert.equal((await model.generate(request('a'))).text, '2');
    assert.deepEqual(model.capabilities, { jsonSchema: true });
  });
});

describe('cache keys', () => {
  test('key order does not matter, content does', () => {
    assert.equal(stableJson({ b: 1, a: { d: 2, c: 3 } }), '{"a":{"c":3,"d":2},"b":1}');
    assert.equal(requestKey(['m', { a: 1, b: 2 }]), requestKey(['m', { b: 2, a: 1 }]));
    assert.notEqual(requestKey(['m', { a: 1 }]), requestKey(['n', { a: 1 }]));
  });
});

describe('withEmbeddingCache', () => {
  test('caches per text: only new texts reach the model', async () => {
    const inner = fakeEmbedder({ a: [1, 0], b: [0, 1], c: [1, 1] });
    const model = withEmbeddingCache(inner, { cache: createMemoryResponseCache() });
    await model.embed(['a', 'b']);
    const { embeddings } = await model.embed(['b', 'c', 'a']);
    assert.deepEqual(inner.calls, [['a', 'b'], ['c']]);
    assert.deepEqual(embeddings, [
      [0, 1],
      [1, 1],
      [1, 0],
    ]);
  });
});
