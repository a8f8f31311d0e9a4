import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collectStream } from '../../core/collect-stream.js';
import { bindCallOptions, bindEmbeddingOptions } from './bind-call-options.js';
import { embeddingPolicy } from './embedding-policy.js';
import { keyLimits } from './key-limits.js';
import { wrapModel } from './model-policy.js';
import { createFakeEmbeddingModel, createFakeModel, embeddingRouterOver } from './test-support/fake-model.js';
import { createTrackedLimiter, createUsageFixture, virtualKey } from './test-support/policy-fixtures.js';
import { usageLog } from './usage-log.js';

const request = { messages: [{ role: 'user' as const, content: 'hi' }] };
const trace = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };

describe('bindCallOptions', () => {
  test('every call carries the bound caller and trace, each with its own request id (.1, .2, …)', async () => {
    const fake = createFakeModel();
    const principal = virtualKey();
    const model = bindCallOptions(fake, { principal, requestId: 'req', trace });
    await model.generate(request);
    await collectStream(model.stream(request));
    await model.generate(request, { metadata: { step: 'judge' } });
    assert.deepEqual(
      fake.calls.map((c) => c.options?.requestId),
      ['req.1', 'req.2', 'req.3'],
    );
    for (const call of fake.calls) {
      assert.equal(call.options?.principal, principal);
      assert.equal(call.options?.trace, trace);
    }
    assert.deepEqual(fake.calls[2]!.options?.metadata, { step: 'judge' });
    assert.equal(model.modelId, fake.modelId, 'the bound model answers as the model');
  });

  test('a call’s own options win, except the request id; without a bound id the call’s own is kept', async () => {
    const fake = createFakeModel();
    const bound = new AbortController();
    const own = new AbortController();
    const model = bindCallOptions(fake, { principal: virtualKey(), requestId: 'req', signal: bound.signal });
    await model.generate(request, { principal: { kind: 'master' }, requestId: 'mine', signal: own.signal });
    await model.generate(request);
    const [first, second] = fake.calls.map((c) => c.options);
    assert.deepEqual(first?.principal, { kind: 'master' });
    assert.equal(first?.requestId, 'req.1');
    assert.equal(first?.signal, own.signal);
    assert.equal(second?.signal, bound.signal);

    const unbound = bindCallOptions(fake, { principal: virtualKey() });
    await unbound.generate(request, { requestId: 'client-id' });
    assert.equal(fake.calls[2]!.options?.requestId, 'client-id');
  });

  test('through the policies: one usage row per call as the bound key, refusals included', async () => {
    const usage = createUsageFixture();
    const policies = [
      usageLog({ logger: usage.logger, metrics: usage.metrics, modelLabel: usage.modelLabel }),
      keyLimits({ limiter: createTrackedLimiter() }),
    ];
    const allowed = bindCallOptions(wrapModel(createFakeModel({ modelId: 'fast' }), policies), {
      principal: virtualKey({ id: 'rag-key', models: ['fast'] }),
      requestId: 'rag',
      trace,
    });
    await allowed.generate(request);
    await collectStream(allowed.stream(request));
    const refused = bindCallOptions(wrapModel(createFakeModel({ modelId: 'slow' }), policies), {
      principal: virtualKey({ id: 'rag-key', models: ['fast'] }),
      requestId: 'judge',
    });
    await assert.rejects(refused.generate(request), /may not use the model "slow"/);
    const rows = (await usage.rows()).map((r) => [r.requestId, r.keyId, r.status, r.traceId]).sort();
    assert.deepEqual(rows, [
      ['judge.1', 'rag-key', 403, null],
      ['rag.1', 'rag-key', 200, trace.traceId],
      ['rag.2', 'rag-key', 200, trace.traceId],
    ]);
  });
});

describe('bindEmbeddingOptions', () => {
  test('each embed is logged as the bound key with its own request id; refusals too', async () => {
    const usage = createUsageFixture();
    const fake = createFakeEmbeddingModel();
    const policy = embeddingPolicy({
      logger: usage.logger,
      metrics: usage.metrics,
      modelLabel: usage.modelLabel,
      limiter: createTrackedLimiter(),
    });
    const model = bindEmbeddingOptions(policy(embeddingRouterOver(fake, { alias: 'embed' })), {
      principal: virtualKey({ id: 'ingest', rpm: 2 }),
      requestId: 'doc',
      metadata: { route: 'embeddings' },
    });
    assert.equal(model.modelId, 'embed', 'the bound model answers as the model');
    await model.embed(['a'], { inputType: 'document' });
    await model.embed(['b'], { inputType: 'query' });
    await assert.rejects(model.embed(['c']), /Rate limit of 2 requests/);
    assert.deepEqual(
      fake.calls.map((c) => [c.options?.requestId, c.options?.inputType]),
      [
        ['doc.1', 'document'],
        ['doc.2', 'query'],
      ],
    );
    const rows = (await usage.rows()).map((r) => [r.requestId, r.keyId, r.status]).sort();
    assert.deepEqual(rows, [
      ['doc.1', 'ingest', 200],
      ['doc.2', 'ingest', 200],
      ['doc.3', 'ingest', 429],
    ]);
  });
});
