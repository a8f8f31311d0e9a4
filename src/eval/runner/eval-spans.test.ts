import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConduitError } from '../../core/errors.js';
import { createScriptedModel } from '../../core/generate/test-support/scripted-model.js';
import { newSpanId, newTraceId } from '../../core/trace-context.js';
import { createTracer } from '../../observability/tracing/tracer.js';
import { createMemoryTraceStore } from '../../storage/memory/memory-trace-store.js';
import type { EvalSuite } from '../suite/eval-suite.js';
import { withEvalCache } from './cached-models.js';
import { createModelTarget, type EvalTarget } from './eval-target.js';
import { type AskFunction, createRagTarget } from './rag-target.js';
import { runSuite } from './run-suite.js';

const suite: EvalSuite = {
  name: 'greetings',
  prompts: [{ id: 'p', messages: [{ role: 'user', content: 'Say {{word}}' }], examples: [] }],
  targets: [],
  cases: ['hello', 'goodbye'].map((word) => ({
    id: `say-${word}`,
    vars: { word },
    assert: [{ type: 'icontains', value: '{{word}}' }],
    source: 'inline',
  })),
  thresholds: {},
};

const failing: EvalTarget = {
  id: 'down',
  async call() {
    throw new ConduitError('timeout', 'upstream timed out');
  },
};

describe('eval spans', () => {
  test('a run span, a span per case × target, and the target’s model calls under the case span', async () => {
    const store = createMemoryTraceStore();
    const tracer = createTracer({ store });
    const model = createScriptedModel({ steps: [{ text: 'hello!' }, { text: 'see you' }] });
    const target = createModelTarget({ id: 'scripted', model: withEvalCache(model) });
    const run = await runSuite({ suite, targets: [target, failing], concurrency: 1, recorder: tracer });
    await tracer.close();

    assert.match(run.traceId ?? '', /^[0-9a-f]{32}$/);
    const spans = await store.getTrace(run.traceId!);
    const root = spans.find((s) => s.name === 'eval greetings');
    assert.ok(root, 'the run span');
    assert.equal(root.parentSpanId, null);
    assert.equal(root.attributes['conduit.eval.run_id'], run.runId);
    assert.equal(root.attributes['conduit.eval.passed'], 1);
    assert.equal(root.attributes['conduit.eval.errors'], 2);

    const cases = spans.filter((s) => s.name.startsWith('eval case '));
    assert.equal(cases.length, 4);
    for (const span of cases) assert.equal(span.parentSpanId, root.spanId);
    const cell = (caseId: string, targetId: string) =>
      cases.find(
        (s) =>
          s.attributes['conduit.eval.case'] === caseId && s.attributes['conduit.eval.target'] === targetId,
      )!;
    const passed = cell('say-hello', 'scripted');
    assert.equal(passed.name, 'eval case say-hello');
    assert.equal(passed.status, 'unset');
    assert.equal(passed.attributes['conduit.eval.pass'], true);
    assert.equal(passed.attributes['conduit.eval.score'], 1);
    assert.equal(cell('say-goodbye', 'scripted').attributes['conduit.eval.pass'], false);
    const errored = cell('say-hello', 'down');
    assert.equal(errored.status, 'error');
    assert.equal(errored.attributes['error.type'], 'timeout');
    assert.equal(errored.attributes['conduit.eval.pass'], false);

    // Each model call carried its case span as the parent of whatever the model records.
    const parents = model.callOptions.map((o) => o?.trace?.spanId).sort();
    const expected = [passed.spanId, cell('say-goodbye', 'scripted').spanId].sort();
    assert.deepEqual(parents, expected);
    for (const options of model.callOptions) assert.equal(options?.trace?.traceId, run.traceId);
  });

  test('under a caller’s context; a RAG target passes the case context to ask', async () => {
    const store = createMemoryTraceStore();
    const tracer = createTracer({ store });
    const trace = { traceId: newTraceId(), spanId: newSpanId(), recorder: tracer };
    const seen: (string | undefined)[] = [];
    const ask: AskFunction = async (options) => {
      seen.push(options.callOptions?.trace?.spanId);
      return {
        answer: `${options.question}: hello goodbye`,
        status: 'answered',
        sources: [],
        usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
      };
    };
    const target = createRagTarget({ id: 'rag', store: {} as never, collection: 'docs', ask });
    const run = await runSuite({ suite, targets: [target], trace });
    await tracer.close();

    assert.equal(run.traceId, trace.traceId);
    const spans = await store.getTrace(trace.traceId);
    const root = spans.find((s) => s.name === 'eval greetings')!;
    assert.equal(root.parentSpanId, trace.spanId);
    const cases = spans.filter((s) => s.parentSpanId === root.spanId);
    assert.deepEqual(seen.sort(), cases.map((s) => s.spanId).sort());
  });

  test('untraced runs record nothing and report no trace id', async () => {
    const model = createScriptedModel({ steps: [{ text: 'hello' }, { text: 'goodbye' }] });
    const run = await runSuite({
      suite,
      targets: [createModelTarget({ id: 'm', model: withEvalCache(model) })],
    });
    assert.equal(run.traceId, undefined);
    for (const options of model.callOptions) assert.equal(options?.trace, undefined);
  });
});
