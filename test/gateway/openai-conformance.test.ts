/**
 * The gateway driven by the official `openai` client: chat (plain, streaming, tools, json_schema),
 * embeddings, models, and each error status, with local upstreams that inject faults.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { aliasYaml, type Harness, startHarness } from '../support/gateway-harness.js';

const MASTER = 'sk-master-conformance';
let h: Harness;
let client: OpenAI;

before(async () => {
  h = await startHarness({
    upstreams: 2,
    config: ([a, b]) =>
      [
        `master_key: ${MASTER}`,
        'models:',
        aliasYaml('fast', [a!]),
        aliasYaml('ha', [a!, b!]),
        'router:',
        '  cooldown: { failures: 100, duration_ms: 1000 }',
        'defaults:',
        '  retry: { initial_delay_ms: 10 }',
      ].join('\n'),
  });
  client = new OpenAI({ apiKey: MASTER, baseURL: h.baseURL, maxRetries: 0 });
});
after(() => h.close());

const weather = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const time = {
  type: 'function' as const,
  function: { name: 'get_time', parameters: { type: 'object', properties: {} } },
};

describe('openai client → gateway', () => {
  test('chat completion', async () => {
    const completion = await client.chat.completions.create({
      model: 'fast',
      messages: [{ role: 'user', content: 'hello' }],
    });
    assert.equal(completion.choices[0]!.message.content, 'Echo: hello');
    assert.equal(completion.choices[0]!.finish_reason, 'stop');
    assert.ok(completion.usage!.total_tokens > 0);
  });

  test('streaming with include_usage', async () => {
    const stream = await client.chat.completions.create({
      model: 'fast',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'one two three' }],
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined | null;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, 'Echo: one two three');
    assert.equal(finish, 'stop');
    assert.ok(usage && usage.total_tokens === usage.prompt_tokens + usage.completion_tokens);
  });

  test('parallel tool calls, streamed in fragments, reassembled by the SDK helper', async () => {
    const runner = client.chat.completions.stream({
      model: 'fast',
      messages: [{ role: 'user', content: 'call the tools' }],
      tools: [weather, time],
    });
    const final = await runner.finalChatCompletion();
    const calls = final.choices[0]!.message.tool_calls!;
    assert.deepEqual(
      calls.map((c) => c.type === 'function' && c.function.name),
      ['get_weather', 'get_time'],
    );
    const first = calls[0]!;
    assert.deepEqual(first.type === 'function' && JSON.parse(first.function.arguments), { city: 'text' });
    assert.equal(final.choices[0]!.finish_reason, 'tool_calls');
  });

  test('json_schema structured output', async () => {
    const completion = await client.chat.completions.create({
      model: 'fast',
      messages: [{ role: 'user', content: 'a city' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'city',
          strict: true,
          schema: {
            type: 'object',
            properties: { name: { type: 'string' } },
            required: ['name'],
            additionalProperties: false,
          },
        },
      },
    });
    assert.deepEqual(JSON.parse(completion.choices[0]!.message.content!), { name: 'text' });
  });

  test('embeddings (float and base64) and models', async () => {
    const floats = await client.embeddings.create({
      model: 'fast',
      input: ['alpha', 'beta'],
      encoding_format: 'float',
    });
    assert.equal(floats.data.length, 2);
    assert.equal(floats.data[0]!.embedding.length, 8);
    // The SDK asks for base64 by default and decodes it: the vectors must survive the trip.
    const decoded = await client.embeddings.create({ model: 'fast', input: ['alpha', 'beta'] });
    for (let i = 0; i < 8; i++)
      assert.ok(Math.abs(decoded.data[0]!.embedding[i]! - floats.data[0]!.embedding[i]!) < 1e-6);
    const models = await client.models.list();
    assert.deepEqual(models.data.map((m) => m.id).sort(), ['fast', 'ha']);
  });

  test('400 names the field', async () => {
    await assert.rejects(
      client.chat.completions.create({
        model: 'fast',
        messages: [{ role: 'user', content: 'x' }],
        temperature: 7,
      }),
      (e: unknown) =>
        e instanceof OpenAI.BadRequestError &&
        (e.error as { param?: string }).param === 'temperature' &&
        /temperature/.test(e.message),
    );
  });

  test('401 for a wrong key, 404 for an unknown model listing what exists', async () => {
    const wrong = new OpenAI({ apiKey: 'sk-wrong', baseURL: h.baseURL, maxRetries: 0 });
    await assert.rejects(wrong.models.list(), OpenAI.AuthenticationError);
    await assert.rejects(
      client.chat.completions.create({ model: 'gpt-9', messages: [{ role: 'user', content: 'x' }] }),
      (e: unknown) => e instanceof OpenAI.NotFoundError && /Available: fast, ha/.test(e.message),
    );
  });

  test('403 when a virtual key may not use the model; 429 past its rpm', async () => {
    const created = await h.running.conduit().keys.create({ name: 'limited', models: ['fast'], rpm: 2 });
    const keyed = new OpenAI({ apiKey: created.secret, baseURL: h.baseURL, maxRetries: 0 });
    await assert.rejects(
      keyed.chat.completions.create({ model: 'ha', messages: [{ role: 'user', content: 'x' }] }),
      OpenAI.PermissionDeniedError,
    );
    await keyed.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'x' }] });
    await keyed.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'x' }] });
    await assert.rejects(
      keyed.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'x' }] }),
      (e: unknown) => {
        return e instanceof OpenAI.RateLimitError && Number(e.headers?.get('retry-after')) > 0;
      },
    );
    const models = await keyed.models.list();
    assert.deepEqual(
      models.data.map((m) => m.id),
      ['fast'],
    );
  });

  test('upstream statuses reach the client mapped: 500 → 502, 503 → 503 with retry-after', async () => {
    const [a] = h.upstreams;
    a!.enqueue({ status: 500 }, { status: 500 });
    await assert.rejects(
      client.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'x' }] }),
      (e: unknown) => {
        return (
          e instanceof OpenAI.APIError &&
          e.status === 502 &&
          (e.error as { provider?: string }).provider === 'openai-compatible'
        );
      },
    );
    // 7 s is past router.max_retry_wait_ms (5 s): the gateway answers at once instead of waiting.
    a!.enqueue({ status: 503, headers: { 'retry-after': '7' } });
    await assert.rejects(
      client.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'x' }] }),
      (e: unknown) => {
        return e instanceof OpenAI.APIError && e.status === 503 && e.headers?.get('retry-after') === '7';
      },
    );
  });
});

describe('faults: retries and fallback before the first byte', () => {
  test('429 with Retry-After is retried on the same deployment', async () => {
    const [a] = h.upstreams;
    a!.enqueue({ status: 429, headers: { 'retry-after-ms': '200' } });
    const started = Date.now();
    const completion = await client.chat.completions.create({
      model: 'fast',
      messages: [{ role: 'user', content: 'again' }],
    });
    assert.equal(completion.choices[0]!.message.content, 'Echo: again');
    assert.ok(Date.now() - started >= 190);
  });

  test('a failing deployment falls back to the next one', async () => {
    const [a, b] = h.upstreams;
    const before = b!.requests.length;
    a!.enqueue({ status: 500 }, { status: 500 });
    const completion = await client.chat.completions.create({
      model: 'ha',
      messages: [{ role: 'user', content: 'fallback' }],
    });
    assert.equal(completion.choices[0]!.message.content, 'Echo: fallback');
    assert.equal(b!.requests.length, before + 1);
  });

  test('a connection reset and a slow first byte fall back too (streaming)', async () => {
    const [a] = h.upstreams;
    a!.enqueue({ reset: true }, { reset: true });
    const stream = await client.chat.completions.create({
      model: 'ha',
      stream: true,
      messages: [{ role: 'user', content: 'reset' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, 'Echo: reset');
  });

  test('a stream cut after the first byte ends with an error the client sees', async () => {
    const [a] = h.upstreams;
    a!.enqueue({ cutAfterEvents: 3, eventDelayMs: 20 });
    const stream = await client.chat.completions.create({
      model: 'fast',
      stream: true,
      messages: [{ role: 'user', content: 'a b c d e f' }],
    });
    let text = '';
    await assert.rejects(async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    }, /stream|closed|terminated|socket|other side/i);
    assert.ok(text.length > 0, 'text before the cut arrived');
  });

  test('a client that disconnects aborts the upstream request', async () => {
    const [a] = h.upstreams;
    const closedBefore = a!.abortedResponses;
    a!.enqueue({ eventDelayMs: 100 });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      {
        model: 'fast',
        stream: true,
        messages: [{ role: 'user', content: 'one two three four five six seven' }],
      },
      { signal: controller.signal },
    );
    try {
      for await (const chunk of stream) if (chunk.choices[0]?.delta.content) controller.abort();
    } catch {
      // Depending on timing the SDK ends the iteration or throws its abort error; both are fine here.
    }
    for (let i = 0; i < 100 && a!.abortedResponses === closedBefore; i++)
      await new Promise((r) => setTimeout(r, 20));
    assert.equal(a!.abortedResponses, closedBefore + 1);
  });
});
