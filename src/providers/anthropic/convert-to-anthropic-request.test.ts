import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { ChatRequest } from '../../core/chat-request.js';
import { ConduitError } from '../../core/errors.js';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

const hello: ChatRequest['messages'] = [{ role: 'user', content: 'Hello' }];
const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};

describe('convertToAnthropicRequest', () => {
  test('a tool round trip becomes the documented Messages API body; OpenAI-only params are dropped', () => {
    const request = fixture('tool-round-trip.chat-request.json') as ChatRequest;
    const { body, json } = convertToAnthropicRequest(request, 'claude-sonnet-4-5');
    assert.deepEqual(body, fixture('tool-round-trip.anthropic-request.json'));
    assert.equal(json, undefined);
  });

  test('tool_choice maps auto/none/required/named onto auto/none/any/tool', () => {
    const cases: [ChatRequest['tool_choice'], unknown][] = [
      ['auto', { type: 'auto' }],
      ['none', { type: 'none' }],
      ['required', { type: 'any' }],
      [
        { type: 'function', function: { name: 'get_weather' } },
        { type: 'tool', name: 'get_weather' },
      ],
    ];
    for (const [choice, expected] of cases) {
      const { body } = convertToAnthropicRequest(
        { messages: hello, tools: [weatherTool], tool_choice: choice },
        'm',
      );
      assert.deepEqual(body.tool_choice, expected);
    }
  });

  test('parallel_tool_calls: false disables parallel use, except under none which cannot carry it', () => {
    const off = { messages: hello, tools: [weatherTool], parallel_tool_calls: false };
    assert.deepEqual(convertToAnthropicRequest(off, 'm').body.tool_choice, {
      type: 'auto',
      disable_parallel_tool_use: true,
    });
    assert.deepEqual(convertToAnthropicRequest({ ...off, tool_choice: 'required' }, 'm').body.tool_choice, {
      type: 'any',
      disable_parallel_tool_use: true,
    });
    assert.deepEqual(convertToAnthropicRequest({ ...off, tool_choice: 'none' }, 'm').body.tool_choice, {
      type: 'none',
    });
  });

  test('tool_choice is not sent without tools (the API rejects it)', () => {
    const { body } = convertToAnthropicRequest({ messages: hello, tool_choice: 'required' }, 'm');
    assert.equal(body.tool_choice, undefined);
    assert.equal(body.tools, undefined);
  });

  test('json_schema is emulated with a forced tool named after the schema', () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    const { body, json } = convertToAnthropicRequest(
      {
        messages: hello,
        response_format: { type: 'json_schema', json_schema: { name: 'final.answer', schema } },
      },
      'm',
    );
    assert.deepEqual(json, { toolName: 'final_answer', wrapped: false });
    assert.equal(body.tools?.length, 1);
    assert.equal(body.tools?.[0]?.name, 'final_answer');
    assert.deepEqual(body.tools?.[0]?.input_schema, schema);
    assert.deepEqual(body.tool_choice, { type: 'tool', name: 'final_answer' });
  });

  test('json_schema beside caller tools requires some tool call, not the answer tool alone', () => {
    const { body } = convertToAnthropicRequest(
      {
        messages: hello,
        tools: [weatherTool],
        response_format: { type: 'json_schema', json_schema: { name: 'report', schema: { type: 'object' } } },
      },
      'm',
    );
    assert.deepEqual(
      body.tools?.map((tool) => tool.name),
      ['get_weather', 'report'],
    );
    assert.deepEqual(body.tool_choice, { type: 'any' });
  });

  test('a json_schema whose root is not an object is wrapped as { value }', () => {
    const schema = { type: 'array', items: { type: 'string' } };
    const { body, json } = convertToAnthropicRequest(
      { messages: hello, response_format: { type: 'json_schema', json_schema: { name: 'tags', schema } } },
      'm',
    );
    assert.deepEqual(json, { toolName: 'tags', wrapped: true });
    assert.deepEqual(body.tools?.[0]?.input_schema, {
      type: 'object',
      properties: { value: schema },
      required: ['value'],
      additionalProperties: false,
    });
  });

  test('json_object adds a system instruction to answer with a JSON object only', () => {
    const { body } = convertToAnthropicRequest(
      {
        messages: [{ role: 'system', content: 'Be terse.' }, ...hello],
        response_format: { type: 'json_object' },
      },
      'm',
    );
    assert.equal(body.system?.length, 2);
    assert.match(body.system?.[1]?.text ?? '', /JSON object/);
    assert.equal(body.tools, undefined);
  });

  test('max_tokens defaults to the model output ceiling, else 4096; max_completion_tokens wins', () => {
    assert.equal(
      convertToAnthropicRequest({ messages: hello }, 'claude-sonnet-4-5-20250929').body.max_tokens,
      64_000,
    );
    assert.equal(convertToAnthropicRequest({ messages: hello }, 'claude-opus-4-1').body.max_tokens, 32_000);
    assert.equal(
      convertToAnthropicRequest({ messages: hello }, 'claude-3-5-haiku-latest').body.max_tokens,
      8_192,
    );
    assert.equal(convertToAnthropicRequest({ messages: hello }, 'my-proxy-model').body.max_tokens, 4_096);
    const both = { messages: hello, max_tokens: 100, max_completion_tokens: 200 };
    assert.equal(convertToAnthropicRequest(both, 'm').body.max_tokens, 200);
  });

  test('n > 1 is refused naming the field; n = 1 is fine', () => {
    assert.throws(
      () => convertToAnthropicRequest({ messages: hello, n: 2 }, 'm'),
      (error: unknown) =>
        ConduitError.isInstance(error) && error.code === 'unsupported' && error.param === 'n',
    );
    assert.doesNotThrow(() => convertToAnthropicRequest({ messages: hello, n: 1 }, 'm'));
  });

  test('sampling: temperature clamps to 0-1, top_k passes, a single stop string becomes a list', () => {
    const { body } = convertToAnthropicRequest(
      { messages: hello, temperature: 1.6, top_p: 0.9, top_k: 40, stop: 'END' },
      'm',
      { stream: true },
    );
    assert.equal(body.temperature, 1);
    assert.equal(body.top_p, 0.9);
    assert.equal(body.top_k, 40);
    assert.deepEqual(body.stop_sequences, ['END']);
    assert.equal(body.stream, true);
  });

  test('extra_body fields reach the body as-is (thinking, anthropic-only options)', () => {
    const thinking = { type: 'enabled', budget_tokens: 2048 };
    const { body } = convertToAnthropicRequest({ messages: hello, extra_body: { thinking } }, 'm');
    assert.deepEqual(body.thinking, thinking);
  });
});
