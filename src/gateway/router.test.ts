import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChatEvent, ChatResult } from '../core/chat-event.js';
import { collectStream } from '../core/collect-stream.js';
import { ConduitError } from '../core/errors.js';
import type { CallOptions, CallReport, LanguageModel } from '../core/language-model.js';
import { parseTraceparent } from '../core/trace-context.js';
import { createTracer } from '../observability/tracing/tracer.js';
import { createMemoryStorage } from '../storage/memory/memory-storage.js';
import { createMemoryTraceStore } from '../storage/memory/memory-trace-store.js';
import { createDeployment, type Deployment } from './deployment.js';
import { createDeploymentHealth } from './deployment-health.js';
import { orderDeployments } from './order-deployments.js';
import { createRouter } from './router.js';

/** A model whose behaviour per call is scripted: answer with its name, or throw the next error. */
function fakeModel(name: string, failures: ConduitError[] = []): LanguageModel & { calls: number } {
  const answer = (): ChatResult => ({
    id: name,
    model: name,
    created: 0,
    text: name,
    toolCalls: [],
    finishReason: 'stop',
    choices: [{ index: 0, text: name, toolCalls: [], finishReason: 'stop' }],
    usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 },
  });
  const model = {
    id: `fake:${name}`,
    provider: 'fake',
    modelId: name,
    calls: 0,
    async generate() {
      model.calls++;
      const failure = failures.shift();
      if (failure) throw failure;
      return answer();
    },
    async *stream(): AsyncGenerator<ChatEvent> {
      model.calls++;
      const failure = failures.shift();
      if (failure) throw failure;
      yield { type: 'start', id: name, model: name };
      yield { type: 'text-delta', text: name };
      yield { type: 'finish', reason: 'stop' };
    },
  };
  return model;
}

function deployment(
  alias: string,
  index: number,
  model: LanguageModel,
  extra: Partial<{ weight: number; priority: number; rpm: number }> = {},
): Deployment {
  return createDeployment({
    alias,
    index,
    provider: 'fake',
    model: model.modelId,
    ...extra,
    createLanguageModel: () => model,
    createEmbeddingModel: () => {
      throw new Error('no embeddings');
    },
  });
}

const upstream = (status: number) =>
  new ConduitError(status === 429 ? 'rate_limited' : 'upstream_error', `HTTP ${status}`, {
    upstreamStatus: status,
  });

describe('router', () => {
  test('fallback: a 5xx on the first deployment is answered by the second', async () => {
    const a = fakeModel('a', [upstream(500)]);
    const b = fakeModel('b');
    const health = createDeploymentHealth({ failures: 3, cooldownMs: 1000 });
    const router = createRouter({
      alias: 'x',
      strategy: 'fallback',
      deployments: [deployment('x', 0, a), deployment('x', 1, b)],
      health,
      attemptsPerDeployment: 1,
    });
    const report: CallReport = { attempts: [] };
    const result = await router.generate({ messages: [] }, { report });
    assert.equal(result.text, 'b');
    assert.deepEqual(
      report.attempts.map((t) => `${t.deployment}:${t.error?.code ?? 'ok'}`),
      ['x/0:upstream_error', 'x/1:ok'],
    );
  });

  test('a client error (400) is not retried elsewhere', async () => {
    const a = fakeModel('a', [new ConduitError('bad_request', 'bad')]);
    const b = fakeModel('b');
    const router = createRouter({
      alias: 'x',
      strategy: 'fallback',
      deployments: [deployment('x', 0, a), deployment('x', 1, b)],
      health: createDeploymentHealth({ failures: 3, cooldownMs: 1000 }),
    });
    await assert.rejects(router.generate({ messages: [] }), /bad/);
    assert.equal(b.calls, 0);
  });

  test('streams fall back before the first event too', async () => {
    const a = fakeModel('a', [upstream(503)]);
    const b = fakeModel('b');
    const router = createRouter({
      alias: 'x',
      strategy: 'fallback',
      deployments: [deployment('x', 0, a), deployment('x', 1, b)],
      health: createDeploymentHealth({ failures: 3, cooldownMs: 1000 }),
    });
    const result = await collectStream(router.stream({ messages: [] }));
    assert.equal(result.text, 'b');
  });

  test('cooldown: a deployment that keeps failing is skipped, then probed once its cooldown ends', async () => {
    let now = 0;
    const a = fakeModel('a', [upstream(500), upstream(500), upstream(500)]);
    const b = fakeModel('b');
    const health = createDeploymentHealth({ failures: 2, cooldownMs: 1000, now: () => now });
    const router = createRouter({
      alias: 'x',
      strategy: 'fallback',
      deployments: [deployment('x', 0, a), deployment('x', 1, b)],
      health,
      attemptsPerDeployment: 1,
    });
    await router.generate({ messages: [] });
    await router.generate({ messages: [] });
    assert.equal(health.state('x/0'), 'open');
    const callsBefore = a.calls;
    await router.generate({ messages: [] });
    assert.equal(a.calls, callsBefore, 'skipped while cooling down');
    now = 1001;
    assert.equal(health.state('x/0'), 'half-open');
    await router.generate({ messages: [] }); // the probe fails (third scripted 500) → open again
    assert.equal(a.calls, callsBefore + 1);
    assert.equal(health.state('x/0'), 'open');
    now = 2500;
    const result = await router.generate({ messages: [] }); // the probe succeeds → closed
    assert.equal(result.text, 'a');
    assert.equal(health.state('x/0'), 'closed');
  });

  test('all deployments cooling down: 503 overloaded with a retry-after', async () => {
    const health = createDeploymentHealth({ failures: 1, cooldownMs: 60_000 });
    const a = fakeModel('a', [upstream(500)]);
    const router = createRouter({
      alias: 'x',
      strategy: 'fallback',
      deployments: [deployment('x', 0, a)],
      health,
      attemptsPerDeployment: 1,
    });
    await assert.rejects(router.generate({ messages: [] }));
    await assert.rejects(
      router.generate({ messages: [] }),
      (e: unknown) => ConduitError.isInstance(e) && e.code === 'overloaded' && (e.retryAfterMs ?? 0) > 0,
    );
  });

  test('deployment rpm: over its limit the next deployment serves', async () => {
    const storage = createMemoryStorage();
    const a = fakeModel('a');
    const b = fakeModel('b');
    const router = createRouter({
      alias: 'x',
      strategy: 'fallback',
      deployments: [deployment('x', 0, a, { rpm: 2 }), deployment('x', 1, b)],
      health: createDeploymentHealth({ failures: 3, cooldownMs: 1000 }),
      limiter: storage.rateLimiter,
    });
    const texts = [];
    for (let i = 0; i < 4; i++) texts.push((await router.generate({ messages: [] })).text);
    assert.deepEqual(texts, ['a', 'a', 'b', 'b']);
  });
});

describe('orderDeployments', () => {
  const health = createDeploymentHealth({ failures: 3, cooldownMs: 1000 });
  const ds = [
    deployment('w', 0, fakeModel('a'), { weight: 3 }),
    deployment('w', 1, fakeModel('b'), { weight: 1 }),
  ];

  test('weighted: traffic splits by weight (3:1 within 5%)', () => {
    let seed = 7;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    let firstA = 0;
    const n = 4000;
    for (let i = 0; i < n; i++)
      if (orderDeployments(ds, 'weighted', health, random)[0]!.id === 'w/0') firstA++;
    assert.ok(Math.abs(firstA / n - 0.75) < 0.05, `share ${firstA / n}`);
  });

  test('latency prefers the faster deployment; least-busy the idler one; fallback honours priority', () => {
    const h = createDeploymentHealth({ failures: 3, cooldownMs: 1000 });
    h.recordSuccess('w/0', 500);
    h.recordSuccess('w/1', 50);
    assert.equal(orderDeployments(ds, 'latency', h)[0]!.id, 'w/1');
    h.tryAcquire('w/1');
    assert.equal(orderDeployments(ds, 'least-busy', h)[0]!.id, 'w/0');
    const prioritised = [
      deployment('p', 0, fakeModel('a'), { priority: 2 }),
      deployment('p', 1, fakeModel('b'), { priority: 1 }),
    ];
    assert.equal(orderDeployments(prioritised, 'fallback', h)[0]!.id, 'p/1');
  });
});

describe('router traces', () => {
  test('each deployment tried is a client span under the caller, and its id goes upstream as traceparent', async () => {
    const seen: (string | undefined)[] = [];
    const recording = (inner: LanguageModel): LanguageModel => ({
      ...inner,
      generate: (request, options?: CallOptions) => {
        seen.push(options?.headers?.traceparent);
        return inner.generate(request, options);
      },
    });
    const router = createRouter({
      alias: 't',
      strategy: 'fallback',
      deployments: [
        deployment('t', 0, recording(fakeModel('a', [new ConduitError('upstream_error', 'boom')]))),
        deployment('t', 1, recording(fakeModel('b'))),
      ],
      health: createDeploymentHealth({ failures: 3, cooldownMs: 1000 }),
      attemptsPerDeployment: 1,
    });
    const store = createMemoryTraceStore();
    const tracer = createTracer({ store });
    const root = tracer.startSpan('request', undefined, { kind: 'server' });
    await router.generate({ messages: [{ role: 'user', content: 'hi' }] }, { trace: root.context });
    root.end();
    await tracer.close();

    const spans = await store.getTrace(root.context.traceId);
    const attempts = spans.filter((span) => span.kind === 'client');
    assert.deepEqual(
      attempts.map((span) => span.attributes['conduit.deployment']),
      ['t/0', 't/1'],
    );
    assert.equal(attempts[0]!.status, 'error');
    assert.notEqual(attempts[1]!.status, 'error');
    for (const span of attempts) {
      assert.equal(span.parentSpanId, root.context.spanId);
      assert.equal(span.attributes['gen_ai.operation.name'], 'chat');
    }
    assert.equal(attempts[1]!.attributes['gen_ai.usage.input_tokens'], 1);
    assert.deepEqual(
      seen.map((header) => parseTraceparent(header)?.spanId),
      attempts.map((span) => span.spanId),
    );
  });
});
