import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collectStream } from '../../core/collect-stream.js';
import { ConduitError } from '../../core/errors.js';
import type { CallReport, LanguageModel } from '../../core/language-model.js';
import type { UsageRecord } from '../../storage/ports/usage-log.js';
import { keyLimits } from './key-limits.js';
import { wrapModel } from './model-policy.js';
import { responseCache } from './response-cache.js';
import { COST, createFakeModel, type FakeStep, routerOver, USAGE } from './test-support/fake-model.js';
import {
  createTrackedLimiter,
  createTrackedResponseCache,
  createUsageFixture,
  virtualKey,
} from './test-support/policy-fixtures.js';
import { usageLog } from './usage-log.js';

const request = { messages: [{ role: 'user' as const, content: 'hi' }] };
const trace = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) };

/** The gateway's order below the trace: usage log, key limits, response cache, around a router. */
function setup(steps: FakeStep[] = []) {
  const usage = createUsageFixture();
  const fake = createFakeModel({ steps });
  const cache = createTrackedResponseCache();
  const model = wrapModel(routerOver(fake, { alias: 'fast' }), [
    usageLog({ logger: usage.logger, metrics: usage.metrics, modelLabel: usage.modelLabel }),
    keyLimits({ limiter: createTrackedLimiter() }),
    responseCache({ cache }),
  ]);
  return { usage, fake, model, cache };
}

async function onlyRow(rows: Promise<UsageRecord[]>): Promise<UsageRecord> {
  const all = await rows;
  assert.equal(all.length, 1, `one row, got ${all.length}`);
  return all[0]!;
}

describe('usageLog', () => {
  test('metric labels carry configured names only; the row keeps the name the client sent', async () => {
    const usage = createUsageFixture();
    const junk = `openai/${'x'.repeat(100)}`;
    const model = wrapModel(routerOver(createFakeModel({}), { alias: junk }), [
      usageLog({ logger: usage.logger, metrics: usage.metrics, modelLabel: usage.modelLabel }),
    ]);
    await model.generate(request, { requestId: 'req-junk' });
    const row = await onlyRow(usage.rows());
    assert.equal(row.alias, junk);
    const text = await usage.metrics.registry.metrics();
    assert.ok(!text.includes('xxxxxxxxxx'), 'the request text is not a label');
    assert.match(text, /conduit_requests_total\{route="chat",model="unknown",status="200"\} 1/);
  });

  test('a successful generate: one row with the key, deployment, tokens, cost and trace', async () => {
    const { usage, model } = setup();
    await model.generate(request, { requestId: 'req-1', principal: virtualKey(), trace });
    const row = await onlyRow(usage.rows());
    assert.equal(row.requestId, 'req-1');
    assert.equal(row.keyId, 'key-1');
    assert.equal(row.alias, 'fast');
    assert.equal(row.deployment, 'fast/0');
    assert.equal(row.provider, 'fake');
    assert.equal(row.status, 200);
    assert.equal(row.errorCode, null);
    assert.equal(row.promptTokens, USAGE.promptTokens);
    assert.equal(row.completionTokens, USAGE.completionTokens);
    assert.equal(row.costUsd, COST.total);
    assert.equal(row.cacheHit, false);
    assert.equal(row.ttftMs, null, 'no time to first token for a whole answer');
    assert.equal(row.traceId, trace.traceId);
    assert.equal(row.metadata.route, 'chat');
  });

  test('a stream: one row with its time to first token, written when the stream ends', async () => {
    const { usage, model } = setup();
    const iterator = model.stream(request, { requestId: 'req-s' })[Symbol.asyncIterator]();
    await iterator.next();
    assert.equal((await usage.rows()).length, 0, 'no row while the stream runs');
    while (!(await iterator.next()).done);
    const row = await onlyRow(usage.rows());
    assert.equal(row.status, 200);
    assert.equal(row.deployment, 'fast/0');
    assert.equal(typeof row.ttftMs, 'number');
    assert.ok(row.ttftMs! <= row.latencyMs);
    assert.equal(row.costUsd, COST.total);
    assert.equal(row.keyId, null, 'no key: a local caller');
  });

  test('a refusal by an inner policy (key limits) still has its row', async () => {
    const { usage, fake, model } = setup();
    const principal = virtualKey({ models: ['other'] });
    await assert.rejects(model.generate(request, { requestId: 'req-403', principal }));
    await assert.rejects(collectStream(model.stream(request, { requestId: 'req-403s', principal })));
    assert.equal(fake.calls.length, 0);
    const rows = await usage.rows();
    assert.deepEqual(rows.map((r) => [r.requestId, r.status, r.errorCode, r.keyId, r.deployment]).sort(), [
      ['req-403', 403, 'permission', 'key-1', null],
      ['req-403s', 403, 'permission', 'key-1', null],
    ]);
  });

  test('an upstream error: one row with its status, code and the deployment that failed', async () => {
    const { usage, model } = setup([{ fail: new ConduitError('bad_request', 'no') }]);
    await assert.rejects(model.generate(request, { requestId: 'req-err' }));
    const row = await onlyRow(usage.rows());
    assert.equal(row.status, 400);
    assert.equal(row.errorCode, 'bad_request');
    assert.equal(row.deployment, 'fast/0');
    assert.equal(row.costUsd, 0);
  });

  test('a stream cancelled by the consumer: one row with error code cancelled and the deployment', async () => {
    const { usage, model } = setup([{ text: 'a long answer the client stops reading' }]);
    for await (const event of model.stream(request, { requestId: 'req-gone' })) {
      if (event.type === 'text-delta') break;
    }
    const row = await onlyRow(usage.rows());
    assert.equal(row.errorCode, 'cancelled');
    assert.equal(row.status, 499);
    assert.equal(row.deployment, 'fast/0', 'the attempt the router recorded is on the row');
    assert.equal(typeof row.ttftMs, 'number');
  });

  test('a cache hit: its own row with cacheHit and zero cost, the model called once', async () => {
    const { usage, fake, model, cache } = setup();
    await model.generate(request, { requestId: 'req-miss' });
    await cache.written();
    await model.generate(request, { requestId: 'req-hit' });
    await collectStream(model.stream(request, { requestId: 'req-hit-stream' }));
    assert.equal(fake.calls.length, 1);
    const rows = new Map((await usage.rows()).map((r) => [r.requestId, r]));
    assert.equal(rows.size, 3);
    assert.equal(rows.get('req-miss')!.cacheHit, false);
    assert.equal(rows.get('req-miss')!.costUsd, COST.total);
    for (const id of ['req-hit', 'req-hit-stream']) {
      assert.equal(rows.get(id)!.cacheHit, true, id);
      assert.equal(rows.get(id)!.costUsd, 0, id);
      assert.equal(rows.get(id)!.status, 200, id);
      assert.equal(rows.get(id)!.promptTokens, USAGE.promptTokens, `${id}: the tokens the answer took`);
    }
  });

  test('the caller’s report feeds the row: the attempts it lists', async () => {
    const usage = createUsageFixture();
    const inner: LanguageModel = {
      ...createFakeModel(),
      async generate(req, options) {
        options?.report?.attempts.push({
          deployment: 'x/1',
          provider: 'p',
          model: 'm',
          latencyMs: 1,
          retries: 2,
        });
        return createFakeModel().generate(req);
      },
    };
    const report: CallReport = { attempts: [] };
    const model = wrapModel(inner, [
      usageLog({ logger: usage.logger, metrics: usage.metrics, modelLabel: usage.modelLabel, route: 'rag' }),
    ]);
    await model.generate(request, { requestId: 'req-r', report });
    const row = await onlyRow(usage.rows());
    assert.equal(row.deployment, 'x/1');
    assert.equal(row.retries, 2);
    assert.equal(row.metadata.route, 'rag', 'the policy’s route when the call does not name one');
    assert.equal(report.attempts.length, 1, 'the caller’s report is the one filled in');
  });

  test('exactly one row per call over a mix of outcomes', async () => {
    const { usage, model } = setup([{}, { fail: new ConduitError('upstream_error', 'x') }, {}]);
    const outcomes = await Promise.allSettled([
      model.generate({ messages: [{ role: 'user', content: '1' }] }, { requestId: 'r1' }),
      model.generate({ messages: [{ role: 'user', content: '2' }] }, { requestId: 'r2' }),
      collectStream(model.stream({ messages: [{ role: 'user', content: '3' }] }, { requestId: 'r3' })),
      model.generate(request, { requestId: 'r4', principal: virtualKey({ models: ['nope'] }) }),
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['fulfilled', 'rejected', 'fulfilled', 'rejected'],
    );
    const ids = (await usage.rows()).map((r) => r.requestId).sort();
    assert.deepEqual(ids, ['r1', 'r2', 'r3', 'r4']);
  });
});
