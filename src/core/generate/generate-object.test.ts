import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { ConduitError } from '../errors.js';
import { generateObject } from './generate-object.js';
import { COST, createScriptedModel } from './test-support/scripted-model.js';

const Person = z.object({
  name: z.string(),
  age: z.number().int().nonnegative(),
  email: z.string().optional(),
});

describe('generateObject', () => {
  test('native path: response_format json_schema, strict, with the strict-mode schema', async () => {
    const model = createScriptedModel({
      capabilities: { jsonSchema: true },
      steps: [
        (request) => {
          assert.deepEqual(request.response_format, {
            type: 'json_schema',
            json_schema: {
              name: 'person',
              description: 'A person',
              strict: true,
              schema: {
                type: 'object',
                properties: {
                  name: { type: 'string' },
                  age: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
                  email: { type: ['string', 'null'] },
                },
                required: ['name', 'age', 'email'],
                additionalProperties: false,
              },
            },
          });
          assert.deepEqual(request.messages, [{ role: 'user', content: 'Ada, 36' }]);
          return { text: '{"name":"Ada","age":36,"email":null}', cost: COST };
        },
      ],
    });
    const result = await generateObject({
      model,
      schema: Person,
      schemaName: 'person',
      schemaDescription: 'A person',
      prompt: 'Ada, 36',
    });
    assert.deepEqual(result.object, { name: 'Ada', age: 36 }, 'null for an optional field comes back absent');
    assert.equal(result.repaired, false);
    assert.equal(result.finishReason, 'stop');
    assert.deepEqual(result.cost, COST);
  });

  test('JSON mode: schema in the system instruction, one repair round that succeeds', async () => {
    const model = createScriptedModel({
      steps: [
        (request) => {
          assert.deepEqual(request.response_format, { type: 'json_object' });
          const system = request.messages[0];
          assert.equal(system?.role, 'system');
          assert.match(String(system?.content), /^You extract people\.\n\nRespond with one JSON object/);
          assert.match(String(system?.content), /"required":\["name","age"\]/);
          return { text: '{"name":"Ada","age":-1}' };
        },
        (request) => {
          assert.equal(request.messages.length, 4);
          assert.deepEqual(request.messages[2], { role: 'assistant', content: '{"name":"Ada","age":-1}' });
          const ask = request.messages[3];
          assert.equal(ask?.role, 'user');
          assert.match(String(ask?.content), /^That response is not valid:\n- age: Too small/);
          assert.match(String(ask?.content), /Reply with only the corrected JSON object\.$/);
          assert.deepEqual(request.response_format, { type: 'json_object' });
          return { text: '{"name":"Ada","age":36}' };
        },
      ],
    });
    const result = await generateObject({
      model,
      schema: Person,
      system: 'You extract people.',
      prompt: 'Ada, 36',
    });
    assert.deepEqual(result.object, { name: 'Ada', age: 36 });
    assert.equal(result.repaired, true);
    assert.equal(result.text, '{"name":"Ada","age":36}');
    assert.equal(result.usage.totalTokens, 30, 'usage of both calls');
    assert.equal(result.cost, undefined, 'no price known');
  });

  test('still invalid after the repair round: ConduitError invalid_response carrying the issues', async () => {
    const model = createScriptedModel({ steps: [{ text: 'not json' }, { text: '{"name":"Ada"}' }] });
    await assert.rejects(generateObject({ model, schema: Person, prompt: 'Ada' }), (error: unknown) => {
      assert.ok(ConduitError.isInstance(error));
      assert.equal(error.code, 'invalid_response');
      assert.equal(error.provider, 'scripted');
      const details = error.details as { issues: string[]; text: string };
      assert.deepEqual(details.text, '{"name":"Ada"}');
      assert.equal(details.issues.length, 1);
      assert.match(details.issues[0]!, /^age: /);
      assert.match(error.message, /after a repair round: age: /);
      return true;
    });
    assert.equal(model.remaining, 0);
  });

  test('strips markdown code fences before parsing', async () => {
    const model = createScriptedModel({ steps: [{ text: '```json\n{"name":"Ada","age":36}\n```' }] });
    const result = await generateObject({ model, schema: Person, prompt: 'Ada, 36' });
    assert.deepEqual(result.object, { name: 'Ada', age: 36 });
    assert.equal(result.repaired, false);
  });

  test('output cut off by the token limit is reported without a repair round', async () => {
    const model = createScriptedModel({ steps: [{ text: '{"name":"Ad', finishReason: 'length' }] });
    await assert.rejects(generateObject({ model, schema: Person, prompt: 'Ada' }), (error: ConduitError) => {
      const { issues } = error.details as { issues: string[] };
      assert.match(issues[0]!, /cut off at the token limit/);
      return error.code === 'invalid_response';
    });
    assert.equal(model.requests.length, 1);
  });

  test('tool mode: a forced function call, repaired through a tool message', async () => {
    const model = createScriptedModel({
      capabilities: { tools: true, jsonMode: false },
      steps: [
        (request) => {
          assert.deepEqual(request.tool_choice, { type: 'function', function: { name: 'response' } });
          assert.equal(request.tools?.[0]?.function.name, 'response');
          assert.equal(request.response_format, undefined);
          return { toolCalls: [{ id: 'r1', name: 'response', arguments: '{"name":"Ada","age":"36"}' }] };
        },
        (request) => {
          const feedback = request.messages.at(-1);
          assert.equal(feedback?.role, 'tool');
          assert.match(String(feedback?.content), /^Invalid arguments:\n- age: /);
          return { toolCalls: [{ id: 'r2', name: 'response', arguments: '{"name":"Ada","age":36}' }] };
        },
      ],
    });
    const result = await generateObject({ model, schema: Person, prompt: 'Ada, 36' });
    assert.deepEqual(result.object, { name: 'Ada', age: 36 });
    assert.equal(result.repaired, true);
  });

  test('accepts a plain JSON Schema, validated with ajv', async () => {
    const model = createScriptedModel({ steps: [{ text: '{"n": 3}' }] });
    const schema = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] };
    const result = await generateObject({ model, schema, prompt: 'three' });
    assert.deepEqual(result.object, { n: 3 });
  });

  test('a schema that is not an object is refused before calling the model', async () => {
    const model = createScriptedModel({ steps: [] });
    await assert.rejects(generateObject({ model, schema: z.array(z.string()), prompt: 'x' }), {
      code: 'bad_request',
    });
  });
});
