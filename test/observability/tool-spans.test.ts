/**
 * Tool executions in core's tool loop as `execute_tool` spans, recorded by the real tracer into a
 * memory TraceStore: every step's model call and every tool span hang from the caller's context.
 * (Here rather than beside generate-text.ts: core's own tests may not import observability.)
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { generateText } from '../../src/core/generate/generate-text.js';
import { createScriptedModel } from '../../src/core/generate/test-support/scripted-model.js';
import { tool } from '../../src/core/generate/tool-definition.js';
import { newSpanId, newTraceId, type TraceContext } from '../../src/core/trace-context.js';
import { createTracer } from '../../src/observability/tracing/tracer.js';
import { createMemoryTraceStore } from '../../src/storage/memory/memory-trace-store.js';

async function runLoop(options: { captureContent: boolean; failing?: boolean }) {
  const store = createMemoryTraceStore();
  const tracer = createTracer({ store, captureContent: options.captureContent });
  const trace: TraceContext = { traceId: newTraceId(), spanId: newSpanId(), recorder: tracer };
  const weather = tool({
    description: 'Weather for a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      if (options.failing) throw new Error('weather service down');
      return { city, tempC: 4 };
    },
  });
  const model = createScriptedModel({
    steps: [
      { toolCalls: [{ id: 'call_1', name: 'weather', arguments: '{"city":"Oslo"}' }] },
      { text: 'It is 4°C in Oslo.' },
    ],
  });
  const result = await generateText({
    model,
    prompt: 'Weather in Oslo?',
    tools: { weather },
    maxSteps: 3,
    callOptions: { trace },
  });
  await tracer.close();
  return { result, model, trace, spans: await store.getTrace(trace.traceId) };
}

describe('tool spans', () => {
  test('a tool call then an answer: one execute_tool span, both model calls under the same parent', async () => {
    const { result, model, trace, spans } = await runLoop({ captureContent: false });
    assert.equal(result.text, 'It is 4°C in Oslo.');
    assert.equal(model.callOptions.length, 2);
    for (const options of model.callOptions)
      assert.equal(options?.trace, trace, 'call options pass unchanged');

    assert.equal(spans.length, 1);
    const [span] = spans;
    assert.equal(span!.name, 'execute_tool weather');
    assert.equal(span!.kind, 'internal');
    assert.equal(span!.parentSpanId, trace.spanId);
    assert.equal(span!.status, 'unset');
    assert.deepEqual(span!.attributes, {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'weather',
      'gen_ai.tool.call.id': 'call_1',
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.description': 'Weather for a city',
    });
  });

  test('with content capture, arguments and result are recorded', async () => {
    const { spans } = await runLoop({ captureContent: true });
    assert.equal(spans[0]!.attributes['gen_ai.tool.call.arguments'], '{"city":"Oslo"}');
    assert.equal(spans[0]!.attributes['gen_ai.tool.call.result'], '{"city":"Oslo","tempC":4}');
  });

  test('a tool that throws: the span has error status, the loop goes on', async () => {
    const { result, spans } = await runLoop({ captureContent: true, failing: true });
    assert.equal(result.steps[0]!.toolResults[0]!.error, 'execution-failed');
    assert.equal(spans[0]!.status, 'error');
    assert.equal(spans[0]!.statusMessage, 'weather service down');
    assert.equal(spans[0]!.attributes['error.type'], 'Error');
    assert.equal(spans[0]!.attributes['gen_ai.tool.call.result'], undefined);
  });
});
