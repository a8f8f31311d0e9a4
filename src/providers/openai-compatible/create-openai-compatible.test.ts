import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type OpenAITestServer, startOpenAITestServer } from '../../../test/support/openai-test-server.js';
import type { ChatEvent } from '../../core/chat-event.js';
import { collectStream } from '../../core/collect-stream.js';
import { ConduitError } from '../../core/errors.js';
import { createOpenAI, createOpenAICompatible } from './create-openai-compatible.js';

let server: OpenAITestServer;
before(async () => {
  server = await startOpenAITestServer();
});
after(() => server.close());

const openai = () =>
  createOpenAI({ apiKey: 'sk-test', baseURL: server.baseURL, retry: { initialDelayMs: 10 } });
const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const timeTool = {
  type: 'function' as const,
  function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } },
};

async function drain(stream: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const out: ChatEvent[] = [];
  for await (const e of stream) out.push(e);
  return out;
}

describe('OpenAI provider over HTTP', () => {
  test('generate: text, usage, cost in USD, bearer auth', async () => {
    const result = await openai()
      .languageModel('gpt-4o-mini')
      .generate({ messages: [{ role: 'user', content: 'hello there' }] });
    assert.equal(result.text, 'Echo: hello there');
    assert.equal(result.finishReason, 'stop');
    assert.ok(result.usage.promptTokens > 0 && result.usage.completionTokens > 0);
    assert.ok(result.cost && result.cost.total > 0, 'gpt-4o-mini has a price, so the result carries a cost');
    assert.equal(server.requests.at(-1)!.headers.authorization, 'Bearer sk-test');
  });

  test('stream: text deltas, finish, usage requested with include_usage', async () => {
    const events = await drain(
      openai()
        .languageModel('gpt-4o-mini')
        .stream({ messages: [{ role: 'user', content: 'one two three' }] }),
    );
    const text = events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : []));
    assert.ok(text.length > 1, 'text arrives in several deltas');
    assert.equal(text.join(''), 'Echo: one two three');
    assert.ok(events.some((e) => e.type === 'usage' && e.usage.totalTokens > 0 && e.cost !== undefined));
    assert.deepEqual(server.requests.at(-1)!.body.stream_options, { include_usage: true });
  });

  test('parallel tool calls, streamed with argument fragments, reassemble', async () => {
    const model = openai().languageModel('gpt-4o-mini');
    const request = {
      messages: [{ role: 'user' as const, content: 'call the tools' }],
      tools: [weatherTool, timeTool],
    };
    const streamed = await collectStream(model.stream(request));
    assert.equal(streamed.finishReason, 'tool_calls');
    assert.deepEqual(
      streamed.toolCalls.map((c) => c.function.name),
      ['get_weather', 'get_time'],
    );
    assert.deepEqual(JSON.parse(streamed.toolCalls[0]!.function.arguments), { city: 'text' });
    const plain = await model.generate(request);
    assert.deepEqual(plain.toolCalls, streamed.toolCalls);
  });

  test('structured output: json_schema is sent and the JSON answer parses', async () => {
    const schema = {
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'integer' } },
      required: ['name', 'age'],
    };
    const result = await openai()
      .languageModel('gpt-4o-mini')
      .generate({
        messages: [{ role: 'user', content: 'a person' }],
        response_format: { type: 'json_schema', json_schema: { name: 'person', schema, strict: true } },
      });
    assert.deepEqual(JSON.parse(result.text), { name: 'text', age: 1 });
    assert.deepEqual((server.requests.at(-1)!.body.response_format as { json_schema: unknown }).json_schema, {
      name: 'person',
      schema,
      strict: true,
    });
  });

  test('images reach the upstream as content parts', async () => {
    const image = {
      type: 'image_url' as const,
      image_url: { url: 'https://example.com/cat.png', detail: 'low' as const },
    };
    await openai()
      .languageModel('gpt-4o')
      .generate({ messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this' }, image] }] });
    const sent = server.requests.at(-1)!.body.messages as { content: unknown[] }[];
    assert.deepEqual(sent[0]!.content[1], image);
  });

  test('embeddings and model list', async () => {
    const provider = openai();
    const result = await provider.embeddingModel!('text-embedding-3-small').embed(['a', 'b', 'a'], {
      dimensions: 16,
    });
    assert.equal(result.embeddings.length, 3);
    assert.equal(result.embeddings[0]!.length, 16);
    assert.deepEqual(result.embeddings[0], result.embeddings[2]);
    const models = await provider.listModels!();
    assert.deepEqual(
      models.map((m) => m.id),
      ['test-model'],
    );
  });

  test('a missing API key is an authentication error that names the variable', async () => {
    const provider = createOpenAI({ baseURL: server.baseURL, env: {} });
    await assert.rejects(
      provider.languageModel('gpt-4o').generate({ messages: [{ role: 'user', content: 'x' }] }),
      (e: unknown) => {
        return ConduitError.isInstance(e) && e.code === 'authentication' && /OPENAI_API_KEY/.test(e.message);
      },
    );
  });

  test('presets: a local server needs no key; a generic server needs a base URL', async () => {
    const ollama = createOpenAICompatible('ollama', { baseURL: server.baseURL, env: {} });
    const result = await ollama
      .languageModel('llama3.2')
      .generate({ messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(result.text, 'Echo: hi');
    assert.equal(server.requests.at(-1)!.headers.authorization, undefined);
    assert.throws(() => createOpenAICompatible('openai-compatible', { env: {} }), /base URL/);
  });

  test('Azure: deployment URL, api-version query and api-key header', async () => {
    const azure = createOpenAICompatible('azure', {
      baseURL: server.url,
      apiKey: 'az-key',
      apiVersion: '2024-10-21',
    });
    await azure.languageModel('my-gpt4o').generate({ messages: [{ role: 'user', content: 'hi' }] });
    const req = server.requests.at(-1)!;
    assert.equal(req.path, '/openai/deployments/my-gpt4o/chat/completions');
    assert.equal(req.headers['api-key'], 'az-key');
  });
});

describe('reliability against a faulty upstream', () => {
  const model = () => openai().languageModel('gpt-4o-mini');
  const ask = { messages: [{ role: 'user' as const, content: 'ping' }] };

  test('429 with Retry-After (seconds) is retried after the wait it asks for', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '1' } });
    const started = Date.now();
    const retries: number[] = [];
    const result = await createOpenAI({
      apiKey: 'k',
      baseURL: server.baseURL,
      onRetry: (r) => retries.push(r.delayMs),
    })
      .languageModel('gpt-4o-mini')
      .generate(ask);
    assert.equal(result.text, 'Echo: ping');
    assert.deepEqual(retries, [1000]);
    assert.ok(Date.now() - started >= 950, 'waited about a second');
  });

  test('retry-after-ms is honoured for a streamed call', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after-ms': '150' } });
    const started = Date.now();
    const result = await collectStream(model().stream(ask));
    assert.equal(result.text, 'Echo: ping');
    assert.ok(Date.now() - started >= 140);
  });

  test('500s are retried up to maxAttempts, then the error surfaces', async () => {
    const before = server.requests.length;
    server.enqueue({ status: 500 }, { status: 500 }, { status: 500 });
    await assert.rejects(
      model().generate(ask),
      (e: unknown) => ConduitError.isInstance(e) && e.code === 'upstream_error' && e.upstreamStatus === 500,
    );
    assert.equal(server.requests.length - before, 3);
  });

  test('a 400 is not retried', async () => {
    const before = server.requests.length;
    server.enqueue({
      status: 400,
      body: { error: { message: 'bad', type: 'invalid_request_error', param: 'messages', code: null } },
    });
    await assert.rejects(
      model().generate(ask),
      (e: unknown) => ConduitError.isInstance(e) && e.code === 'bad_request' && e.param === 'messages',
    );
    assert.equal(server.requests.length - before, 1);
  });

  test('a connection reset is retried', async () => {
    server.enqueue({ reset: true });
    const result = await model().generate(ask);
    assert.equal(result.text, 'Echo: ping');
  });

  test('time to first token: a slow first byte times out', async () => {
    server.enqueue({ delayMs: 1500 });
    const started = Date.now();
    await assert.rejects(
      collectStream(model().stream(ask, { timeout: { firstTokenMs: 200 }, retry: false })),
      (e: unknown) => ConduitError.isInstance(e) && e.code === 'timeout' && /first token/.test(e.message),
    );
    assert.ok(Date.now() - started < 1200);
  });

  test('idle timeout: a stream that stalls mid-way ends with an error event', async () => {
    server.enqueue({ eventDelayMs: 400 });
    const events = await drain(model().stream(ask, { timeout: { idleMs: 150 }, retry: false }));
    const last = events.at(-1)!;
    assert.equal(last.type, 'error');
    assert.equal(last.type === 'error' && last.error.code, 'timeout');
    assert.match(last.type === 'error' ? last.error.message : '', /idle/);
  });

  test('total timeout bounds a generate call', async () => {
    server.enqueue({ delayMs: 1500 });
    await assert.rejects(
      model().generate(ask, { timeout: { totalMs: 200 }, retry: false }),
      (e: unknown) => ConduitError.isInstance(e) && e.code === 'timeout' && /total/.test(e.message),
    );
  });

  test('a stream cut mid-way ends with an error event, never a hang', async () => {
    server.enqueue({ cutAfterEvents: 3, eventDelayMs: 30 });
    const events = await drain(model().stream({ messages: [{ role: 'user', content: 'a b c d e f g' }] }));
    assert.ok(
      events.some((e) => e.type === 'text-delta'),
      'text before the cut reached the caller',
    );
    const last = events.at(-1)!;
    assert.equal(last.type, 'error');
  });

  test('a stream cut before its first event is retried transparently', async () => {
    server.enqueue({ cutAfterEvents: 0 });
    const result = await collectStream(model().stream(ask));
    assert.equal(result.text, 'Echo: ping');
  });

  test('an abort closes the upstream socket and ends the stream with a cancelled error event', async () => {
    const closedBefore = server.abortedResponses;
    server.enqueue({ eventDelayMs: 100 });
    const controller = new AbortController();
    const events: ChatEvent[] = [];
    const stream = model().stream(
      { messages: [{ role: 'user', content: 'one two three four five six' }] },
      { signal: controller.signal },
    );
    for await (const e of stream) {
      events.push(e);
      if (e.type === 'text-delta') controller.abort();
    }
    const last = events.at(-1)!;
    assert.equal(last.type === 'error' && last.error.code, 'cancelled');
    for (let i = 0; i < 50 && server.abortedResponses === closedBefore; i++)
      await new Promise((r) => setTimeout(r, 20));
    assert.equal(server.abortedResponses, closedBefore + 1);
  });

  test('breaking out of a stream early closes the upstream socket', async () => {
    const closedBefore = server.abortedResponses;
    server.enqueue({ eventDelayMs: 100 });
    for await (const e of model().stream({
      messages: [{ role: 'user', content: 'one two three four five' }],
    })) {
      if (e.type === 'text-delta') break;
    }
    for (let i = 0; i < 50 && server.abortedResponses === closedBefore; i++)
      await new Promise((r) => setTimeout(r, 20));
    assert.equal(server.abortedResponses, closedBefore + 1);
  });
});
