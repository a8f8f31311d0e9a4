/**
 * The gateway in front of the in-process engine: the official clients talk to a generated GGUF model
 * (gibberish text, but real llama.cpp decoding, grammars and embeddings).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { Ajv } from 'ajv';
import OpenAI from 'openai';
import { testModelPath } from '../../src/engine/test-support/test-model.js';
import { type Harness, startHarness } from '../support/gateway-harness.js';

let h: Harness;
let client: OpenAI;

before(async () => {
  const model = await testModelPath();
  h = await startHarness({
    upstreams: 0,
    config: () => ['models:', '  tiny:', '    provider: local', `    model: ${model}`].join('\n'),
  });
  client = new OpenAI({ apiKey: 'dev', baseURL: h.baseURL, maxRetries: 0 });
});
after(() => h?.close());

describe('gateway → local engine', () => {
  test('chat and streaming report real token usage', async () => {
    const completion = await client.chat.completions.create({
      model: 'tiny',
      max_tokens: 8,
      messages: [{ role: 'user', content: 'hi' }],
    });
    assert.equal(typeof completion.choices[0]!.message.content, 'string');
    assert.ok(completion.usage!.prompt_tokens > 0);
    assert.ok(completion.usage!.completion_tokens > 0 && completion.usage!.completion_tokens <= 8);
    const stream = await client.chat.completions.create({
      model: 'tiny',
      max_tokens: 8,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hello' }],
    });
    let chunks = 0;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      chunks++;
      usage = chunk.usage ?? usage;
    }
    assert.ok(chunks > 1);
    assert.ok(usage && usage.completion_tokens > 0);
  });

  test('json_schema output validates against its schema (grammar-constrained)', async () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string', maxLength: 12 },
        tags: { type: 'array', items: { enum: ['a', 'b'] }, maxItems: 3 },
      },
      required: ['name', 'tags'],
      additionalProperties: false,
    };
    const completion = await client.chat.completions.create({
      model: 'tiny',
      max_tokens: 120,
      messages: [{ role: 'user', content: 'a record' }],
      response_format: { type: 'json_schema', json_schema: { name: 'record', schema, strict: true } },
    });
    const value = JSON.parse(completion.choices[0]!.message.content!);
    const validate = new Ajv().compile(schema);
    assert.ok(validate(value), JSON.stringify(validate.errors));
  });

  test('embeddings have the model dimension and are deterministic', async () => {
    const a = await client.embeddings.create({
      model: 'tiny',
      input: ['same text', 'same text'],
      encoding_format: 'float',
    });
    assert.equal(a.data.length, 2);
    assert.ok(a.data[0]!.embedding.length > 0);
    assert.deepEqual(a.data[0]!.embedding, a.data[1]!.embedding);
  });

  test('an Anthropic client reaches the local model too; engine metrics are exported', async () => {
    const anthropic = new Anthropic({ apiKey: 'dev', baseURL: h.url, maxRetries: 0 });
    const message = await anthropic.messages.create({
      model: 'tiny',
      max_tokens: 6,
      messages: [{ role: 'user', content: 'hi' }],
    });
    assert.equal(message.type, 'message');
    assert.ok(message.usage.output_tokens > 0);
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    assert.match(metrics, /conduit_engine_/);
    assert.match(metrics, /conduit_requests_total\{route="chat",model="tiny",status="200"\}/);
  });

  test('issue 10 defect 10: a config reload keeps a gateway with a local alias up and serving', async () => {
    const before = await client.chat.completions.create({
      model: 'tiny',
      max_tokens: 4,
      messages: [{ role: 'user', content: 'before' }],
    });
    assert.ok(before.usage!.completion_tokens > 0);
    const model = await testModelPath();
    writeFileSync(
      h.configPath,
      [
        'models:',
        '  tiny:',
        '    provider: local',
        `    model: ${model}`,
        '  tiny2:',
        '    provider: local',
        `    model: ${model}`,
      ].join('\n'),
    );
    assert.equal(await h.running.reload(), true, 'the reload succeeds (metrics are not registered twice)');
    assert.equal(await h.running.reload(), true, 'and again');
    for (const name of ['tiny', 'tiny2']) {
      const after = await client.chat.completions.create({
        model: name,
        max_tokens: 4,
        messages: [{ role: 'user', content: 'after' }],
      });
      assert.ok(after.usage!.completion_tokens > 0, name);
    }
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    assert.equal(metrics.match(/^# TYPE conduit_engine_time_to_first_token_seconds /gm)?.length, 1);
  });
});
