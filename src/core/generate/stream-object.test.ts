import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { ConduitError } from '../errors.js';
import { streamObject } from './stream-object.js';
import { COST, createScriptedModel } from './test-support/scripted-model.js';

const Recipe = z.object({
  title: z.string(),
  servings: z.number().int(),
  steps: z.array(z.object({ text: z.string(), minutes: z.number().optional() })),
});
const RECIPE = {
  title: 'Tomato soup',
  servings: 4,
  steps: [{ text: 'Chop the tomatoes' }, { text: 'Simmer', minutes: 20 }],
};

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

describe('streamObject', () => {
  test('yields growing partial objects, no duplicates, then the validated object', async () => {
    const text = `\`\`\`json\n${JSON.stringify(RECIPE, null, 1)}\n\`\`\``;
    const model = createScriptedModel({ chunkSize: 5, steps: [{ text, cost: COST }] });
    const result = streamObject({ model, schema: Recipe, prompt: 'Soup' });
    const partials = await collect(result.partialObjectStream);

    assert.ok(partials.length > 10, `only ${partials.length} partials`);
    assert.deepEqual(partials[0], {});
    assert.deepEqual(partials.at(-1), RECIPE);
    const keys = partials.map((p) => JSON.stringify(p));
    assert.equal(new Set(keys).size, keys.length, 'no partial repeats the previous one');
    const titles = partials.flatMap((p) => (p.title && p.title !== RECIPE.title ? [p.title] : []));
    assert.ok(
      titles.length > 0 && titles.every((t) => RECIPE.title.startsWith(t)),
      'a string is shown while it grows',
    );
    assert.ok(
      partials.every((p) => p.servings === undefined || p.servings === 4),
      'numbers only once complete',
    );
    assert.deepEqual(await result.object, RECIPE);
    assert.equal((await result.usage).totalTokens, 15);
    assert.deepEqual(await result.cost, COST);
    assert.deepEqual(model.requests[0]?.response_format, { type: 'json_object' });
  });

  test('uses the native json_schema mode when the model has it', async () => {
    const model = createScriptedModel({
      capabilities: { jsonSchema: true },
      steps: [{ text: '{"title":"T","servings":1,"steps":[{"text":"Eat","minutes":null}]}' }],
    });
    const { object } = streamObject({ model, schema: Recipe, prompt: 'x' });
    assert.deepEqual(await object, { title: 'T', servings: 1, steps: [{ text: 'Eat' }] });
    const format = model.requests[0]?.response_format;
    assert.ok(format?.type === 'json_schema' && format.json_schema.strict === true);
  });

  test('streams the arguments of the forced call in tool mode', async () => {
    const model = createScriptedModel({
      capabilities: { tools: true, jsonMode: false },
      steps: [{ toolCalls: [{ id: 'c', name: 'recipe', arguments: JSON.stringify(RECIPE) }] }],
    });
    const result = streamObject({ model, schema: Recipe, schemaName: 'recipe', prompt: 'Soup' });
    const partials = await collect(result.partialObjectStream);
    assert.ok(partials.length > 5);
    assert.deepEqual(await result.object, RECIPE);
  });

  test('an invalid final object rejects with the issues, without a repair round', async () => {
    const model = createScriptedModel({ steps: [{ text: '{"title":"T","servings":1.5,"steps":[]}' }] });
    const result = streamObject({ model, schema: Recipe, prompt: 'x' });
    const partials = await collect(result.partialObjectStream);
    assert.deepEqual(partials.at(-1), { title: 'T', servings: 1.5, steps: [] });
    await assert.rejects(result.object, (error: ConduitError) => {
      assert.equal(error.code, 'invalid_response');
      const details = error.details as { issues: string[]; text: string };
      assert.match(details.issues[0]!, /^servings: /);
      assert.equal(details.text, '{"title":"T","servings":1.5,"steps":[]}');
      return true;
    });
    assert.equal(model.requests.length, 1);
    assert.equal((await result.usage).totalTokens, 15, 'usage is known even when the object is not');
  });

  test('a stream error ends the partial stream with it and rejects the object', async () => {
    const failure = new ConduitError('upstream_error', 'reset');
    const model = createScriptedModel({ steps: [{ text: '{"title":"Tom', streamError: failure }] });
    const result = streamObject({ model, schema: Recipe, prompt: 'x' });
    const seen: unknown[] = [];
    await assert.rejects(async () => {
      for await (const partial of result.partialObjectStream) seen.push(partial);
    }, failure);
    assert.ok(seen.length > 0);
    await assert.rejects(result.object, failure);
    await assert.rejects(result.usage, failure);
  });
});
