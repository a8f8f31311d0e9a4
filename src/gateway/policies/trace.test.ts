import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChatRequest } from '../../core/chat-request.js';
import { collectStream } from '../../core/collect-stream.js';
import { ConduitError } from '../../core/errors.js';
import type { CallReport, LanguageModel } from '../../core/language-model.js';
import type { TraceContext } from '../../core/trace-context.js';
import { createTracer } from '../../observability/tracing/tracer.js';
import { createMemoryTraceStore } from '../../storage/memory/memory-trace-store.js';
import type { Span } from '../../storage/ports/trace-store.js';
import { type ModelPolicy, wrapModel } from './model-policy.js';
import { responseCache } from './response-cache.js';
import { COST, createFakeModel, type FakeStep, routerOver, USAGE } from './test-support/fake-model.js';
import { createTrackedResponseCache, virtualKey } from './test-support/policy-fixtures.js';
import { trace } from './trace.js';

const request: ChatRequest = { model: 'fast', messages: [{ role: 'user', content: 'a secret prompt' }] };
/** A client's traceparent, as the gateway parses it. */
const parent: TraceContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };

function setup(options: { captureContent?: boolean; steps?: FakeStep[]; inner?: ModelPolicy[] } = {}) {
  const store = createMemoryTraceStore();
  const tracer = createTracer({ store, captureContent: options.captureContent ?? false });
  const fake = createFakeModel({ steps: options.steps });
  const wrap = (inner: LanguageModel) =>
    wrapModel(inner, [trace({ recorder: tracer, kind: 'server' }), ...(options.inner ?? [])]);
  /** Every span of a trace, once the tracer has written them. */
  const spans = async (traceId: string): Promise<Span[]> => {
    await tracer.flush();
    return store.getTrace(traceId);
  };
  return { fake, wrap, spans, tracer };
}

/** The policy's span among a trace's spans. */
const chatSpan = (spans: Span[]) => {
  const found = spans.filter((s) => s.kind === 'server');
  assert.equal(found.length, 1, `one span per call, got ${found.length}`);
  return found[0]!;
};

describe('trace', () => {
  test('one span per call under options.trace, with GenAI attributes, and the router’s attempt under it', async () => {
    const { fake, wrap, spans } = setup();
    const report: CallReport = { attempts: [] };
    const model = wrap(routerOver(fake, { alias: 'fast' }));
    await model.generate(request, { trace: parent, report, requestId: 'req-1', principal: virtualKey() });
    assert.equal(report.traceId, parent.traceId, 'the report names the trace');
    const all = await spans(parent.traceId);
    const span = chatSpan(all);
    assert.equal(span.parentSpanId, parent.spanId);
    assert.equal(span.name, 'chat fast');
    assert.notEqual(span.status, 'error');
    assert.ok(span.endTime !== null && span.endTime >= span.startTime);
    const a = span.attributes;
    assert.equal(a['gen_ai.operation.name'], 'chat');
    assert.equal(a['gen_ai.request.model'], 'fast');
    assert.equal(a['gen_ai.response.model'], 'fake-model');
    assert.deepEqual(a['gen_ai.response.finish_reasons'], ['stop']);
    assert.equal(a['gen_ai.usage.input_tokens'], USAGE.promptTokens);
    assert.equal(a['gen_ai.usage.output_tokens'], USAGE.completionTokens);
    assert.equal(a['conduit.cost_usd'], COST.total);
    assert.equal(a['conduit.request_id'], 'req-1');
    assert.equal(a['conduit.key_id'], 'key-1');
    assert.equal(a['conduit.deployment'], 'fast/0');
    assert.equal(a['conduit.cache_hit'], undefined, 'no cache, no cache attribute');
    const attempt = all.find((s) => s.kind === 'client');
    assert.equal(attempt?.parentSpanId, span.spanId, 'the router’s attempt hangs under the call');
  });

  test('the child context reaches the inner model', async () => {
    const { fake, wrap, spans } = setup();
    await wrap(fake).generate(request, { trace: parent });
    await collectStream(wrap(fake).stream(request, { trace: parent }));
    const ids = (await spans(parent.traceId)).map((s) => s.spanId);
    assert.equal(ids.length, 2);
    assert.deepEqual(
      fake.calls.map((c) => c.options?.trace?.spanId).sort(),
      [...ids].sort(),
      'the inner model sees its call’s span as the current one',
    );
    for (const call of fake.calls) assert.equal(call.options?.trace?.traceId, parent.traceId);
  });

  test('without options.trace a call starts its own trace; a library request without a model is named by the model', async () => {
    const { fake, wrap, spans } = setup();
    const report: CallReport = { attempts: [] };
    await wrap(fake).generate({ messages: request.messages }, { report });
    assert.ok(report.traceId && report.traceId !== parent.traceId);
    const span = chatSpan(await spans(report.traceId));
    assert.equal(span.parentSpanId, null);
    assert.equal(span.attributes['gen_ai.request.model'], 'fake-model');
  });

  test('a stream: one span ended with the stream, with usage, cost and finish reasons', async () => {
    const { fake, wrap, spans } = setup();
    await collectStream(wrap(fake).stream(request, { trace: parent }));
    const span = chatSpan(await spans(parent.traceId));
    assert.equal(span.attributes['gen_ai.usage.output_tokens'], USAGE.completionTokens);
    assert.equal(span.attributes['conduit.cost_usd'], COST.total);
    assert.deepEqual(span.attributes['gen_ai.response.finish_reasons'], ['stop']);
    assert.equal(span.attributes['gen_ai.response.model'], 'fake-model');
  });

  test('a cache hit is marked on the span and costs 0', async () => {
    const cache = createTrackedResponseCache();
    const { fake, wrap, spans } = setup({ inner: [responseCache({ cache })] });
    const model = wrap(fake);
    const miss = { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16) };
    await model.generate(request, { trace: miss });
    await cache.written();
    await model.generate(request, { trace: parent });
    assert.equal(fake.calls.length, 1);
    assert.equal(chatSpan(await spans(miss.traceId)).attributes['conduit.cache_hit'], false);
    const hit = chatSpan(await spans(parent.traceId));
    assert.equal(hit.attributes['conduit.cache_hit'], true);
    assert.equal(hit.attributes['conduit.cost_usd'], 0);
  });

  test('a failure marks the span as an error with its code: thrown, mid-stream, cancelled', async () => {
    const { fake, wrap, spans } = setup({
      steps: [
        { fail: new ConduitError('upstream_error', 'boom') },
        { failMidStream: new ConduitError('timeout', 'slow') },
        { text: 'an answer nobody reads to the end' },
      ],
    });
    const contexts = ['1', '2', '3'].map((d) => ({ traceId: d.repeat(32), spanId: d.repeat(16) }));
    await assert.rejects(wrap(fake).generate(request, { trace: contexts[0] }), /boom/);
    await assert.rejects(collectStream(wrap(fake).stream(request, { trace: contexts[1] })), /slow/);
    for await (const event of wrap(fake).stream(request, { trace: contexts[2] }))
      if (event.type === 'text-delta') break;
    const expected = ['upstream_error', 'timeout', 'cancelled'];
    for (const [i, context] of contexts.entries()) {
      const span = chatSpan(await spans(context.traceId));
      assert.equal(span.status, 'error', expected[i]);
      assert.equal(span.attributes['error.type'], expected[i]);
      assert.ok(span.endTime !== null, 'the span ended');
    }
  });

  test('message content is recorded only with captureContent', async () => {
    for (const captureContent of [false, true]) {
      const { fake, wrap, spans } = setup({
        captureContent,
        steps: [{ text: 'generated words' }, { text: 'streamed words' }],
      });
      const generated = { traceId: 'e'.repeat(32), spanId: 'f'.repeat(16) };
      await wrap(fake).generate(request, { trace: generated });
      await collectStream(wrap(fake).stream(request, { trace: parent }));
      for (const [traceId, output] of [
        [generated.traceId, 'generated words'],
        [parent.traceId, 'streamed words'],
      ] as const) {
        const a = chatSpan(await spans(traceId)).attributes;
        if (!captureContent) {
          assert.equal(a['gen_ai.input.messages'], undefined);
          assert.equal(a['gen_ai.output.messages'], undefined);
          assert.ok(!JSON.stringify(a).includes('a secret prompt'));
          continue;
        }
        assert.match(String(a['gen_ai.input.messages']), /a secret prompt/);
        assert.match(String(a['gen_ai.output.messages']), new RegExp(output));
      }
    }
  });

  test('an unsampled parent records nothing but still reaches the model', async () => {
    const { fake, wrap, spans } = setup();
    const unsampled = { ...parent, sampled: false };
    const report: CallReport = { attempts: [] };
    await wrap(fake).generate(request, { trace: unsampled, report });
    assert.deepEqual(await spans(parent.traceId), []);
    assert.equal(fake.calls[0]!.options?.trace, unsampled);
    assert.equal(report.traceId, undefined);
  });
});
