import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { ConduitError } from '../errors.js';
import { toFunctionTools, tool, validateToolArguments } from './tool-definition.js';

const weather = tool({
  description: 'Current weather for a city',
  parameters: z.object({ city: z.string(), unit: z.enum(['c', 'f']).optional() }),
  execute: async ({ city, unit }) => ({ city, unit: unit ?? 'c', temp: 21 }),
});

const search = tool<{ query: string; limit?: number }>({
  description: 'Search documents',
  parameters: {
    type: 'object',
    properties: { query: { type: 'string', minLength: 1 }, limit: { type: 'integer', minimum: 1 } },
    required: ['query'],
    additionalProperties: false,
  },
});

describe('toFunctionTools', () => {
  test('turns zod and JSON Schema tools into FunctionTools named by their keys', () => {
    const [w, s] = toFunctionTools({ weather, search });
    assert.deepEqual(w, {
      type: 'function',
      function: {
        name: 'weather',
        description: 'Current weather for a city',
        parameters: {
          type: 'object',
          properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
          required: ['city'],
        },
      },
    });
    assert.equal(s?.function.name, 'search');
    assert.deepEqual(s?.function.parameters, search.parameters);
  });

  test('strict tools get the strict-mode schema: every property required, optional ones nullable', () => {
    const strictWeather = tool({ ...weather, strict: true });
    const [fn] = toFunctionTools({ weather: strictWeather });
    assert.equal(fn?.function.strict, true);
    assert.deepEqual(fn?.function.parameters, {
      type: 'object',
      properties: {
        city: { type: 'string' },
        unit: { anyOf: [{ type: 'string', enum: ['c', 'f'] }, { type: 'null' }] },
      },
      required: ['city', 'unit'],
      additionalProperties: false,
    });
  });

  test('rejects a tool name providers would refuse, naming it', () => {
    assert.throws(
      () => toFunctionTools({ 'get weather': weather }),
      (error) =>
        ConduitError.isInstance(error) && error.code === 'bad_request' && /get weather/.test(error.message),
    );
  });
});

describe('validateToolArguments', () => {
  test('returns zod-parsed arguments', () => {
    assert.deepEqual(validateToolArguments(weather, '{"city":"Oslo","unit":"f"}'), {
      ok: true,
      value: { city: 'Oslo', unit: 'f' },
    });
  });

  test('lists zod issues with their paths', () => {
    const result = validateToolArguments(weather, '{"city":42,"unit":"k"}');
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.issues.length, 2);
    assert.match(result.issues[0]!, /^city: .*expected string/);
    assert.match(result.issues[1]!, /^unit: /);
  });

  test('validates plain JSON Schema with ajv, paths in the same form', () => {
    assert.deepEqual(validateToolArguments(search, '{"query":"llm","limit":3}'), {
      ok: true,
      value: { query: 'llm', limit: 3 },
    });
    const result = validateToolArguments(search, '{"query":"","limit":0,"extra":true}');
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.ok(result.issues.some((i) => i.startsWith('query: ')));
    assert.ok(result.issues.some((i) => i.startsWith('limit: ')));
    assert.ok(result.issues.some((i) => /additional properties/.test(i)));
  });

  test('text that is not JSON is an issue, not an exception', () => {
    const result = validateToolArguments(weather, '{"city": "Os');
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.issues[0]!, /^arguments are not valid JSON/);
  });

  test('an empty argument string means no arguments', () => {
    const noArgs = tool({ parameters: z.object({}) });
    assert.deepEqual(validateToolArguments(noArgs, ''), { ok: true, value: {} });
  });

  test('null for an optional argument counts as leaving it out', () => {
    assert.deepEqual(validateToolArguments(weather, '{"city":"Oslo","unit":null}'), {
      ok: true,
      value: { city: 'Oslo' },
    });
  });

  test('validates 2020-12 schemas with the 2020 dialect and tolerates older $schema URIs', () => {
    const tuple = tool({
      parameters: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'array',
        prefixItems: [{ type: 'string' }, { type: 'number' }],
        items: false,
      },
    });
    assert.equal(validateToolArguments(tuple, '["a", 1]').ok, true);
    assert.equal(validateToolArguments(tuple, '["a", 1, 2]').ok, false);
    const draft4 = tool({
      parameters: { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object' },
    });
    assert.equal(validateToolArguments(draft4, '{}').ok, true);
  });

  test('a broken JSON Schema fails when the tool is defined', () => {
    assert.throws(() =>
      tool({ parameters: { type: 'object', properties: { a: { type: 'no-such-type' } } } }),
    );
  });
});
