/**
 * Structured output and tool calls on the generated model. Its weights are random, so whatever it
 * writes is shaped by the grammar alone: if the grammar were wrong or missing, these outputs would
 * not validate.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import type { ChatRequest, FunctionTool } from '../core/chat-request.js';
import { collectStream } from '../core/collect-stream.js';
import { ConduitError } from '../core/errors.js';
import { createLocal, type LocalProvider } from './local-provider.js';
import { testModelPath } from './test-support/test-model.js';

let local: LocalProvider;
let path: string;

before(async () => {
  path = await testModelPath();
  local = createLocal({ threads: 1, sequences: 4, contextSize: 2048, chatWrapper: 'jinjaTemplate' });
});
after(() => local.dispose());

const person = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 16 },
    age: { type: 'integer', minimum: 0, maximum: 130 },
    role: { enum: ['admin', 'editor', 'viewer'] },
    tags: { type: 'array', items: { type: 'string', maxLength: 8 }, minItems: 1, maxItems: 3 },
    address: {
      type: 'object',
      properties: {
        city: { type: 'string', maxLength: 12 },
        zip: { type: 'string', pattern: '^[0-9]{5}$' },
        country: { enum: ['NO', 'SE', 'DK', null] },
      },
      required: ['city', 'zip'],
      additionalProperties: false,
    },
    score: { type: 'number', minimum: 0, maximum: 10 },
    nickname: { type: ['string', 'null'], maxLength: 8 },
    id: {
      anyOf: [
        { type: 'integer', minimum: 1, maximum: 999 },
        { type: 'string', format: 'uuid' },
      ],
    },
  },
  required: ['name', 'age', 'role', 'tags', 'address', 'score', 'id'],
  additionalProperties: false,
} as const;

const ajv = new Ajv({ allErrors: true });
ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
const validPerson = ajv.compile(person);

const ask = (extra: Partial<ChatRequest>): ChatRequest => ({
  messages: [{ role: 'user', content: 'Invent a person.' }],
  max_tokens: 1500,
  ...extra,
});

describe('response_format', () => {
  test('json_schema output validates on every run (nested objects, arrays, enums, anyOf, required)', async () => {
    const model = local.languageModel(path);
    const format = {
      type: 'json_schema' as const,
      json_schema: { name: 'person', schema: person, strict: true },
    };
    const runs = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7, 8].map((seed) =>
        model.generate(ask({ response_format: format, seed, temperature: 1 })),
      ),
    );
    for (const [i, result] of runs.entries()) {
      assert.equal(result.finishReason, 'stop', `run ${i} was cut off`);
      const value = JSON.parse(result.text) as unknown;
      assert.ok(validPerson(value), `run ${i}: ${ajv.errorsText(validPerson.errors)}\n${result.text}`);
    }
    // Random weights, different seeds: the grammar is what they have in common.
    assert.ok(new Set(runs.map((r) => r.text)).size > 1);
  });

  test('patterns (with JSON escapes) and length bounds past 100 hold in what the model writes', async () => {
    const schema = {
      type: 'object',
      properties: {
        code: { type: 'string', pattern: '^[A-Z]{2}-\\d{3}$' },
        word: { type: 'string', pattern: '^(foo|bar)+baz$' },
        quoted: { type: 'string', pattern: '^"[a-z]{1,4}"\\\\$' },
        long: { type: 'string', minLength: 120, maxLength: 230 },
      },
      required: ['code', 'word', 'quoted', 'long'],
      additionalProperties: false,
    };
    const valid = ajv.compile(schema);
    const model = local.languageModel(path);
    const format = { type: 'json_schema' as const, json_schema: { name: 'p', schema } };
    for (const seed of [1, 2, 3]) {
      const result = await model.generate(
        ask({ response_format: format, seed, temperature: 1, max_tokens: 3000 }),
      );
      assert.equal(result.finishReason, 'stop');
      const value = JSON.parse(result.text) as { quoted: string };
      assert.ok(valid(value), `${ajv.errorsText(valid.errors)}\n${result.text}`);
      assert.match(value.quoted, /^".*"\\$/);
    }
  });

  test('json_object output is a JSON object', async () => {
    const result = await local
      .languageModel(path)
      .generate(
        ask({ response_format: { type: 'json_object' }, seed: 3, temperature: 0.7, max_tokens: 4000 }),
      );
    assert.equal(result.finishReason, 'stop');
    const value = JSON.parse(result.text) as unknown;
    assert.equal(typeof value, 'object');
    assert.ok(value !== null && !Array.isArray(value));
  });

  test('a schema feature no grammar can enforce is refused by name, never ignored', async () => {
    const schema = {
      type: 'object',
      properties: { ids: { type: 'array', items: { type: 'integer' }, uniqueItems: true } },
    };
    await assert.rejects(
      local
        .languageModel(path)
        .generate(ask({ response_format: { type: 'json_schema', json_schema: { name: 'x', schema } } })),
      (error: unknown) => {
        assert.ok(ConduitError.isInstance(error));
        assert.equal(error.code, 'unsupported');
        assert.equal(error.param, 'response_format');
        assert.match(error.message, /uniqueItems at #\/properties\/ids/);
        return true;
      },
    );
  });
});

const weather: FunctionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string', maxLength: 20 }, unit: { enum: ['c', 'f'] } },
      required: ['city', 'unit'],
      additionalProperties: false,
    },
  },
};
const time: FunctionTool = {
  type: 'function',
  function: {
    name: 'get_time',
    parameters: {
      type: 'object',
      properties: { zone: { type: 'string', pattern: '^[A-Z][a-z]+/[A-Z][a-z]+$' } },
      required: ['zone'],
    },
  },
};

describe('tool calls', () => {
  test('tool_choice required returns one call in OpenAI shape with arguments matching its schema', async () => {
    const result = await local
      .languageModel(path)
      .generate(ask({ tools: [weather, time], tool_choice: 'required', seed: 5, temperature: 1 }));
    assert.equal(result.finishReason, 'tool_calls');
    assert.equal(result.toolCalls.length, 1);
    const [call] = result.toolCalls;
    assert.match(call!.id, /^call_/);
    assert.equal(call!.type, 'function');
    const tool = [weather, time].find((t) => t.function.name === call!.function.name);
    assert.ok(tool, `unknown tool ${call!.function.name}`);
    const args = JSON.parse(call!.function.arguments) as unknown;
    const valid = ajv.compile(tool.function.parameters!);
    assert.ok(valid(args), ajv.errorsText(valid.errors));
  });

  test('a named tool_choice calls that tool; the stream carries it as a tool-call delta', async () => {
    const events = local.languageModel(path).stream(
      ask({
        tools: [weather, time],
        tool_choice: { type: 'function', function: { name: 'get_time' } },
        seed: 9,
      }),
    );
    const result = await collectStream(events);
    assert.equal(result.toolCalls[0]?.function.name, 'get_time');
    assert.match(
      (JSON.parse(result.toolCalls[0]!.function.arguments) as { zone: string }).zone,
      /^[A-Z][a-z]+\/[A-Z][a-z]+$/,
    );
    assert.ok(result.usage.promptTokens > 100, 'the tools are documented in the prompt');
  });

  test('tool_choice auto leaves the choice to the model and still answers', async () => {
    const result = await local
      .languageModel(path)
      .generate(ask({ tools: [weather], max_tokens: 16, seed: 2 }));
    assert.ok(['stop', 'length', 'tool_calls'].includes(result.finishReason));
  });

  test('a tool result goes back into the conversation', async () => {
    const result = await local.languageModel(path).generate({
      messages: [
        { role: 'user', content: 'Weather in Oslo?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Oslo","unit":"c"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temperature": 21}' },
      ],
      tools: [weather],
      tool_choice: 'none',
      max_tokens: 8,
    });
    assert.ok(result.usage.promptTokens > 40);
    await assert.rejects(
      local.languageModel(path).generate({
        messages: [{ role: 'tool', tool_call_id: 'nope', content: 'x' }],
      }),
      { code: 'bad_request' },
    );
  });
});
