import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import type { ToolMessage } from '../messages.js';
import type { StepResult } from './generate-text.js';
import { generateText } from './generate-text.js';
import { COST, createScriptedModel, USAGE } from './test-support/scripted-model.js';
import { tool } from './tool-definition.js';

/** A tool whose calls can be observed running at the same time. */
function weatherTool() {
  const log: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const weather = tool({
    description: 'Weather for a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      log.push(city);
      await new Promise((resolve) => setTimeout(resolve, 10));
      running--;
      return { city, tempC: city.length };
    },
  });
  return { weather, log, maxRunning: () => maxRunning };
}

const toolMessages = (messages: unknown[]) =>
  messages.filter((m): m is ToolMessage => (m as ToolMessage).role === 'tool');

describe('generateText', () => {
  test('runs two parallel calls concurrently and feeds results back under their tool_call_ids', async () => {
    const { weather, log, maxRunning } = weatherTool();
    const model = createScriptedModel({
      steps: [
        (request) => {
          assert.deepEqual(request.messages, [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: 'Weather in Oslo and Rome?' },
          ]);
          assert.equal(request.tools?.[0]?.function.name, 'weather');
          assert.equal(request.tool_choice, 'auto');
          assert.equal(request.temperature, 0);
          return {
            toolCalls: [
              { id: 'call_a', name: 'weather', arguments: '{"city":"Oslo"}' },
              { id: 'call_b', name: 'weather', arguments: '{"city":"Rome"}' },
            ],
            cost: COST,
          };
        },
        (request) => {
          const [assistant, ...tools] = request.messages.slice(2);
          assert.deepEqual(assistant, {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_a', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
              { id: 'call_b', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
            ],
          });
          assert.deepEqual(tools, [
            { role: 'tool', tool_call_id: 'call_a', content: '{"city":"Oslo","tempC":4}' },
            { role: 'tool', tool_call_id: 'call_b', content: '{"city":"Rome","tempC":4}' },
          ]);
          return { text: 'Both 4°C.', cost: COST };
        },
      ],
    });
    const steps: StepResult[] = [];
    const result = await generateText({
      model,
      system: 'Be brief.',
      prompt: 'Weather in Oslo and Rome?',
      tools: { weather },
      toolChoice: 'auto',
      temperature: 0,
      maxSteps: 5,
      onStepFinish: (step) => {
        steps.push(step);
      },
    });
    assert.equal(model.remaining, 0);
    assert.deepEqual(log, ['Oslo', 'Rome']);
    assert.equal(maxRunning(), 2, 'the two calls overlapped');
    assert.equal(result.text, 'Both 4°C.');
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.steps.length, 2);
    assert.deepEqual(steps, result.steps);
    assert.deepEqual(
      result.steps[0]?.toolResults.map((r) => [r.toolCallId, r.args, r.result]),
      [
        ['call_a', { city: 'Oslo' }, { city: 'Oslo', tempC: 4 }],
        ['call_b', { city: 'Rome' }, { city: 'Rome', tempC: 4 }],
      ],
    );
    assert.equal(result.messages.length, 6);
    assert.deepEqual(result.messages.at(-1), { role: 'assistant', content: 'Both 4°C.' });
    assert.deepEqual(result.usage, { promptTokens: 20, completionTokens: 10, totalTokens: 30 });
    assert.deepEqual(result.cost, { input: 0.002, cachedInput: 0, output: 0.004, total: 0.006 });
  });

  test('invalid arguments go back as a validation error and the corrected call executes', async () => {
    const { weather, log } = weatherTool();
    const model = createScriptedModel({
      steps: [
        { toolCalls: [{ id: 'c1', name: 'weather', arguments: '{"town":"Oslo"}' }] },
        (request) => {
          const [feedback] = toolMessages(request.messages);
          assert.equal(feedback?.tool_call_id, 'c1');
          assert.match(
            String(feedback?.content),
            /^Invalid arguments for tool "weather":\n- city: .*expected string/,
          );
          assert.match(String(feedback?.content), /Call the tool again with corrected arguments\.$/);
          return { toolCalls: [{ id: 'c2', name: 'weather', arguments: '{"city":"Oslo"}' }] };
        },
        { text: 'Oslo is 4°C.' },
      ],
    });
    const result = await generateText({ model, prompt: 'Oslo?', tools: { weather }, maxSteps: 3 });
    assert.deepEqual(log, ['Oslo'], 'the invalid call never reached execute');
    assert.equal(result.steps[0]?.toolResults[0]?.error, 'invalid-arguments');
    assert.equal(result.steps[1]?.toolResults[0]?.error, undefined);
    assert.equal(result.text, 'Oslo is 4°C.');
  });

  test('maxSteps stops the loop after that many model calls, with the tool results in messages', async () => {
    const { weather, log } = weatherTool();
    const call = (id: string) => ({ toolCalls: [{ id, name: 'weather', arguments: '{"city":"Oslo"}' }] });
    const model = createScriptedModel({ steps: [call('1'), call('2'), call('3')] });
    const result = await generateText({ model, prompt: 'Loop', tools: { weather }, maxSteps: 2 });
    assert.equal(model.requests.length, 2);
    assert.equal(model.remaining, 1);
    assert.equal(result.steps.length, 2);
    assert.equal(result.finishReason, 'tool_calls');
    assert.deepEqual(log, ['Oslo', 'Oslo']);
    assert.equal(result.toolResults[0]?.toolCallId, '2');
    assert.equal(result.messages.at(-1)?.role, 'tool');
  });

  test('maxSteps defaults to 1: tools run once, their results are returned, the model is not called again', async () => {
    const { weather } = weatherTool();
    const model = createScriptedModel({
      steps: [{ toolCalls: [{ id: 'x', name: 'weather', arguments: '{"city":"Oslo"}' }] }],
    });
    const result = await generateText({ model, prompt: 'Oslo?', tools: { weather } });
    assert.equal(model.requests.length, 1);
    assert.deepEqual(result.toolResults[0]?.result, { city: 'Oslo', tempC: 4 });
  });

  test('a tool that throws sends the error text to the model instead of failing the call', async () => {
    const flaky = tool({
      parameters: z.object({}),
      execute: () => {
        throw new Error('service unavailable');
      },
    });
    const model = createScriptedModel({
      steps: [
        { toolCalls: [{ id: 'f1', name: 'flaky', arguments: '{}' }] },
        (request) => {
          assert.deepEqual(toolMessages(request.messages), [
            { role: 'tool', tool_call_id: 'f1', content: 'Error: tool "flaky" failed: service unavailable' },
          ]);
          return { text: 'The service is down.' };
        },
      ],
    });
    const result = await generateText({ model, prompt: 'Try it', tools: { flaky }, maxSteps: 2 });
    assert.equal(result.text, 'The service is down.');
    const failed = result.steps[0]?.toolResults[0];
    assert.equal(failed?.error, 'execution-failed');
    assert.equal((failed?.cause as Error | undefined)?.message, 'service unavailable');
  });

  test('an unknown tool name is reported to the model with the available names', async () => {
    const { weather } = weatherTool();
    const model = createScriptedModel({
      steps: [
        { toolCalls: [{ id: 'u', name: 'forecast', arguments: '{}' }] },
        (request) => {
          assert.equal(
            toolMessages(request.messages)[0]?.content,
            'Unknown tool "forecast". Available tools: weather.',
          );
          return { text: 'ok' };
        },
      ],
    });
    await generateText({ model, prompt: 'x', tools: { weather }, maxSteps: 2 });
  });

  test('a tool without execute ends the loop and returns its calls for the caller to answer', async () => {
    const { weather } = weatherTool();
    const confirm = tool({ description: 'Ask the user', parameters: z.object({ question: z.string() }) });
    const model = createScriptedModel({
      steps: [
        {
          toolCalls: [
            { id: 'w', name: 'weather', arguments: '{"city":"Oslo"}' },
            { id: 'q', name: 'confirm', arguments: '{"question":"Go?"}' },
          ],
        },
      ],
    });
    const result = await generateText({ model, prompt: 'Plan', tools: { weather, confirm }, maxSteps: 5 });
    assert.equal(model.requests.length, 1);
    assert.deepEqual(
      result.toolCalls.map((c) => c.id),
      ['w', 'q'],
    );
    assert.deepEqual(
      result.toolResults.map((r) => r.toolCallId),
      ['w'],
    );
    assert.deepEqual(
      toolMessages(result.messages).map((m) => m.tool_call_id),
      ['w'],
    );
  });

  test('cost is undefined when any step had no price', async () => {
    const { weather } = weatherTool();
    const model = createScriptedModel({
      steps: [
        { toolCalls: [{ id: '1', name: 'weather', arguments: '{"city":"a"}' }], cost: COST },
        { text: 'done', usage: USAGE },
      ],
    });
    const result = await generateText({ model, prompt: 'x', tools: { weather }, maxSteps: 2 });
    assert.equal(result.cost, undefined);
    assert.equal(result.usage.totalTokens, 30);
  });

  test('passes messages through, and call options to every step', async () => {
    const controller = new AbortController();
    const model = createScriptedModel({ steps: [{ text: 'hi' }] });
    const messages = [{ role: 'user' as const, content: 'hello' }];
    const result = await generateText({ model, messages, callOptions: { signal: controller.signal } });
    assert.equal(model.callOptions[0]?.signal, controller.signal);
    assert.equal(model.requests[0]?.tools, undefined);
    assert.deepEqual(result.messages, [...messages, { role: 'assistant', content: 'hi' }]);
    assert.equal(messages.length, 1, 'the caller’s array is not modified');
  });

  test('rejects both prompt and messages, and a non-positive maxSteps', async () => {
    const model = createScriptedModel({ steps: [] });
    // @ts-expect-error: the types forbid passing both
    await assert.rejects(generateText({ model, prompt: 'a', messages: [] }), { code: 'bad_request' });
    await assert.rejects(generateText({ model, prompt: 'a', maxSteps: 0 }), { code: 'bad_request' });
  });
});
