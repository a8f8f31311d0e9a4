import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConduitError } from '../../core/errors.js';
import type { CallReport, Principal } from '../../core/language-model.js';
import { createTracer } from '../../observability/tracing/tracer.js';
import { createMemoryBudgetLedger } from '../../storage/memory/memory-budget-ledger.js';
import { createMemoryTraceStore } from '../../storage/memory/memory-trace-store.js';
import { createBudgetGuard } from '../budget-guard.js';
import { embeddingPolicy } from './embedding-policy.js';
import { createFakeEmbeddingModel, embeddingRouterOver } from './test-support/fake-model.js';
import { createTrackedLimiter, createUsageFixture, virtualKey } from './test-support/policy-fixtures.js';

const parent = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };

function setup(options: { fail?: ConduitError[] } = {}) {
  const usage = createUsageFixture();
  const guard = createBudgetGuard(createMemoryBudgetLedger(Date.now));
  const store = createMemoryTraceStore();
  const tracer = createTracer({ store });
  const fake = createFakeEmbeddingModel({ fail: options.fail, costUsd: 0.0001 });
  const model = embeddingPolicy({
    logger: usage.logger,
    metrics: usage.metrics,
    modelLabel: usage.modelLabel,
    limiter: createTrackedLimiter(),
    guard,
    recorder: tracer,
  })(embeddingRouterOver(fake, { alias: 'embed' }));
  const spans = async (traceId: string) => {
    await tracer.flush();
    return store.getTrace(traceId);
  };
  return { usage, guard, fake, model, spans };
}

const refusedWith = (code: string) => (e: unknown) => ConduitError.isInstance(e) && e.code === code;

describe('embeddingPolicy', () => {
  test('one row per embed with the key, deployment, tokens, cost and its trace', async () => {
    const { usage, fake, model, spans } = setup();
    const principal = virtualKey();
    const report: CallReport = { attempts: [] };
    const result = await model.embed(['hello', 'world'], {
      principal,
      requestId: 'emb-1',
      trace: parent,
      report,
    });
    assert.equal(result.embeddings.length, 2);
    const [row, ...others] = await usage.rows();
    assert.equal(others.length, 0);
    assert.equal(row!.requestId, 'emb-1');
    assert.equal(row!.keyId, 'key-1');
    assert.equal(row!.alias, 'embed');
    assert.equal(row!.deployment, 'embed/0');
    assert.equal(row!.status, 200);
    assert.equal(row!.promptTokens, 'hello world'.length);
    assert.equal(row!.costUsd, 0.0001);
    assert.equal(row!.metadata.route, 'embeddings');
    assert.equal(row!.traceId, parent.traceId);

    const [span, ...more] = await spans(parent.traceId);
    assert.equal(more.length, 0);
    assert.equal(span!.parentSpanId, parent.spanId);
    assert.equal(span!.attributes['gen_ai.operation.name'], 'embeddings');
    assert.equal(span!.attributes['gen_ai.request.model'], 'embed');
    assert.equal(fake.calls[0]!.options?.trace?.spanId, span!.spanId, 'the model is called under the span');
  });

  test('refusals have their rows: model list, rpm, budget; the model is not called', async () => {
    const { usage, guard, fake, model } = setup();
    const limited = virtualKey({ id: 'limited', models: ['other'] });
    await assert.rejects(
      model.embed(['a'], { principal: limited, requestId: 'emb-403' }),
      refusedWith('permission'),
    );

    const rpm = virtualKey({ id: 'rpm', rpm: 1 });
    await model.embed(['a'], { principal: rpm, requestId: 'emb-rpm-1' });
    await assert.rejects(
      model.embed(['a'], { principal: rpm, requestId: 'emb-rpm-2' }),
      refusedWith('rate_limited'),
    );

    const budgeted = virtualKey({ id: 'budgeted', budgetUsd: 0.0001 });
    await model.embed(['a'], { principal: budgeted, requestId: 'emb-budget-1' });
    assert.equal(await guard.spent(budgeted.key), 0.0001, 'the actual cost was settled');
    await assert.rejects(
      model.embed(['a'], { principal: budgeted, requestId: 'emb-budget-2' }),
      refusedWith('budget_exceeded'),
    );
    assert.equal(fake.calls.length, 2);

    const rows = new Map((await usage.rows()).map((r) => [r.requestId, r]));
    assert.equal(rows.size, 5);
    const refusals = [
      ['emb-403', 403, 'permission', 'limited'],
      ['emb-rpm-2', 429, 'rate_limited', 'rpm'],
      ['emb-budget-2', 429, 'budget_exceeded', 'budgeted'],
    ] as const;
    for (const [id, status, code, keyId] of refusals) {
      const row = rows.get(id)!;
      assert.deepEqual(
        [row.status, row.errorCode, row.keyId, row.deployment],
        [status, code, keyId, null],
        id,
      );
    }
  });

  test('an upstream failure: its row names the deployment, the budget is charged nothing, the span fails', async () => {
    const { usage, guard, model, spans } = setup({ fail: [new ConduitError('bad_request', 'too long')] });
    const principal = virtualKey({ budgetUsd: 1 });
    await assert.rejects(model.embed(['a'], { principal, requestId: 'emb-err', trace: parent }), /too long/);
    const [row] = await usage.rows();
    assert.deepEqual([row!.status, row!.errorCode, row!.deployment], [400, 'bad_request', 'embed/0']);
    assert.equal(await guard.spent(principal.key), 0);
    const [span] = await spans(parent.traceId);
    assert.equal(span!.status, 'error');
    assert.equal(span!.attributes['error.type'], 'bad_request');
  });

  test('master, local and anonymous callers are not limited', async () => {
    const { usage, fake, model } = setup();
    const callers: Principal[] = [{ kind: 'master' }, { kind: 'local' }, { kind: 'anonymous' }];
    for (const [i, principal] of callers.entries())
      await model.embed(['a'], { principal, requestId: `free-${i}` });
    assert.equal(fake.calls.length, 3);
    assert.deepEqual(
      (await usage.rows()).map((r) => [r.status, r.keyId]),
      callers.map(() => [200, null]),
    );
  });

  test("tpm counts an embedding's real tokens: inputs past the key's window are refused", async () => {
    const usage = createUsageFixture();
    const limiter = createTrackedLimiter();
    const model = embeddingPolicy({
      logger: usage.logger,
      metrics: usage.metrics,
      modelLabel: usage.modelLabel,
      limiter,
    })(embeddingRouterOver(createFakeEmbeddingModel(), { alias: 'embed' }));
    const principal = virtualKey({ id: 'tpm', tpm: 20 });
    // The fake counts a token per character: 16 used where ≈4 were reserved, then 8 more.
    await model.embed(['x'.repeat(16)], { principal, requestId: 'tpm-1' });
    await limiter.settled();
    await model.embed(['y'.repeat(8)], { principal, requestId: 'tpm-2' });
    await limiter.settled();
    await assert.rejects(model.embed(['z'], { principal, requestId: 'tpm-3' }), refusedWith('rate_limited'));
    const rows = await usage.rows();
    assert.deepEqual(rows.map((r) => [r.requestId, r.status]).sort(), [
      ['tpm-1', 200],
      ['tpm-2', 200],
      ['tpm-3', 429],
    ]);
  });
});
