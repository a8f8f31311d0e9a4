import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Agent } from 'undici';
import type { ChatEvent } from '../../core/chat-event.js';
import { collectStream } from '../../core/collect-stream.js';
import { ConduitError } from '../../core/errors.js';
import { createAnthropic } from './anthropic-provider.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const errors = JSON.parse(fixture('errors.json')) as Record<string, { status: number; body: unknown }>;

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown> | undefined;
}
type Handler = (req: IncomingMessage, res: ServerResponse, attempt: number) => void | Promise<void>;

let server: Server;
let agent: Agent;
let baseURL: string;
let handler: Handler;
let seen: Seen[] = [];

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Writes an SSE fixture in uneven pieces, as a real network would deliver it. */
async function sendSse(res: ServerResponse, text: string, until = text.length) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (let i = 0; i < until; i += 97) {
    res.write(text.slice(i, Math.min(i + 97, until)));
    await delay(1);
  }
}

function provider(overrides: Parameters<typeof createAnthropic>[0] = {}) {
  return createAnthropic({
    apiKey: 'sk-ant-test',
    baseURL,
    dispatcher: agent,
    env: {},
    retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20 },
    ...overrides,
  });
}

const hello = { messages: [{ role: 'user' as const, content: 'Hello' }] };

before(async () => {
  agent = new Agent({ keepAliveTimeout: 1000 });
  server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      raw += chunk;
    });
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: raw ? JSON.parse(raw) : undefined,
      });
      void handler(req, res, seen.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await agent.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
});

describe('anthropic provider over HTTP', () => {
  test('generate: POST /v1/messages with key, version and a default max_tokens; text, usage and cost back', async () => {
    handler = (_req, res) => sendJson(res, 200, JSON.parse(fixture('text-response.json')));
    const model = provider().languageModel('claude-sonnet-4-5');
    assert.equal(model.id, 'anthropic:claude-sonnet-4-5');
    const result = await model.generate(hello);
    assert.equal(result.text, 'Hello! Paris is the capital of France.');
    assert.equal(result.usage.cachedTokens, 2000);
    assert.ok(result.cost && result.cost.total > 0, 'claude-sonnet-4-5 is in the price table');
    const [request] = seen;
    assert.equal(request?.method, 'POST');
    assert.equal(request?.url, '/v1/messages');
    assert.equal(request?.headers['x-api-key'], 'sk-ant-test');
    assert.equal(request?.headers['anthropic-version'], '2023-06-01');
    assert.equal(request?.body?.model, 'claude-sonnet-4-5');
    assert.equal(request?.body?.max_tokens, 64_000);
    assert.equal(request?.body?.stream, undefined);
  });

  test('stream: text deltas arrive in order and the stream asks for stream: true', async () => {
    handler = async (_req, res) => {
      await sendSse(res, fixture('text-stream.sse.txt'));
      res.end();
    };
    const events: ChatEvent[] = [];
    for await (const event of provider().languageModel('claude-sonnet-4-5').stream(hello)) events.push(event);
    assert.equal(seen[0]?.body?.stream, true);
    assert.equal(events[0]?.type, 'start');
    const result = await collectStream(
      (async function* () {
        yield* events;
      })(),
    );
    assert.equal(result.text, 'Hello there, café ☕!');
    assert.equal(events.filter((event) => event.type === 'usage').length, 1);
    const usage = events.find((event) => event.type === 'usage');
    assert.ok(usage?.type === 'usage' && usage.cost, 'the usage event is priced');
  });

  test('tools: tool definitions go up; tool calls come back from JSON and from the stream', async () => {
    const tools = [
      { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object' } } },
    ];
    handler = (_req, res) => sendJson(res, 200, JSON.parse(fixture('tool-use-response.json')));
    const model = provider().languageModel('claude-sonnet-4-5');
    const result = await model.generate({ ...hello, tools });
    assert.deepEqual(seen[0]?.body?.tools, [{ name: 'get_weather', input_schema: { type: 'object' } }]);
    assert.equal(result.finishReason, 'tool_calls');
    assert.equal(result.toolCalls.length, 2);

    handler = async (_req, res) => {
      await sendSse(res, fixture('tool-use-stream.sse.txt'));
      res.end();
    };
    const streamed = await collectStream(model.stream({ ...hello, tools }));
    assert.deepEqual(
      streamed.toolCalls.map((call) => JSON.parse(call.function.arguments)),
      [{ location: 'Paris' }, { location: 'Zürich' }],
    );
  });

  test('429 with retry-after: waits as told, then succeeds on the retry', async () => {
    handler = (_req, res, attempt) => {
      if (attempt === 1) sendJson(res, 429, errors.rate_limit?.body, { 'retry-after': '1' });
      else sendJson(res, 200, JSON.parse(fixture('text-response.json')));
    };
    const retries: number[] = [];
    const started = Date.now();
    const result = await provider({ onRetry: ({ delayMs }) => retries.push(delayMs) })
      .languageModel('claude-sonnet-4-5')
      .generate(hello);
    assert.equal(result.text, 'Hello! Paris is the capital of France.');
    assert.equal(seen.length, 2);
    assert.deepEqual(retries, [1000]);
    assert.ok(Date.now() - started >= 950, 'waited for the Retry-After second');
  });

  test('529 overloaded: retried, then surfaced as a retryable overloaded error (generate and stream)', async () => {
    handler = (_req, res) => sendJson(res, 529, errors.overloaded?.body);
    const model = provider({ retry: { maxAttempts: 2, initialDelayMs: 5, maxDelayMs: 10 } }).languageModel(
      'claude-sonnet-4-5',
    );
    const isOverloaded = (error: unknown) =>
      ConduitError.isInstance(error) &&
      error.code === 'overloaded' &&
      error.retryable &&
      error.upstreamStatus === 529;
    await assert.rejects(model.generate(hello), isOverloaded);
    assert.equal(seen.length, 2);
    seen = [];
    // No event was delivered yet, so the stream rejects (a router can still fall back).
    await assert.rejects(collectStream(model.stream(hello)), isOverloaded);
    assert.equal(seen.length, 2);
  });

  test('a stream cut mid-way ends with one error event, without hanging', async () => {
    handler = async (_req, res) => {
      const text = fixture('tool-use-stream.sse.txt');
      await sendSse(res, text, text.indexOf('"partial_json":"ar"'));
      res.socket?.destroy();
    };
    const events: ChatEvent[] = [];
    for await (const event of provider().languageModel('claude-sonnet-4-5').stream(hello)) events.push(event);
    assert.equal(events[0]?.type, 'start');
    const last = events[events.length - 1];
    assert.ok(last?.type === 'error', `last event is ${last?.type}`);
    assert.equal(last.error.code, 'upstream_error');
    assert.equal(events.filter((event) => event.type === 'finish').length, 0);
  });

  test('an error event mid-stream reaches the consumer as an error event', async () => {
    handler = async (_req, res) => {
      await sendSse(res, fixture('error-stream.sse.txt'));
      res.end();
    };
    const events: ChatEvent[] = [];
    for await (const event of provider().languageModel('claude-sonnet-4-5').stream(hello)) events.push(event);
    assert.deepEqual(
      events.map((event) => event.type),
      ['start', 'text-delta', 'error'],
    );
    const last = events[2];
    assert.ok(last?.type === 'error' && last.error.code === 'overloaded');
  });

  test('abort: the consumer stops and the upstream socket closes', async () => {
    let closed!: () => void;
    const upstreamClosed = new Promise<void>((resolve) => {
      closed = resolve;
    });
    handler = async (_req, res) => {
      res.on('close', () => {
        if (!res.writableFinished) closed();
      });
      const text = fixture('text-stream.sse.txt');
      // Everything up to the first text delta, then silence: the model is "thinking".
      await sendSse(res, text, text.indexOf('event: content_block_delta') + 120);
    };
    const controller = new AbortController();
    const events: ChatEvent[] = [];
    const consume = (async () => {
      for await (const event of provider()
        .languageModel('claude-sonnet-4-5')
        .stream(hello, { signal: controller.signal })) {
        events.push(event);
        if (event.type === 'text-delta') controller.abort();
      }
    })();
    await consume.catch(() => undefined);
    const last = events[events.length - 1];
    assert.ok(last?.type === 'error' && last.error.code === 'cancelled', `last event is ${last?.type}`);
    await Promise.race([
      upstreamClosed,
      delay(2000).then(() => assert.fail('the server never saw the connection close')),
    ]);
  });

  test('a consumer that breaks out of the loop closes the upstream socket too', async () => {
    let closed!: () => void;
    const upstreamClosed = new Promise<void>((resolve) => {
      closed = resolve;
    });
    handler = async (_req, res) => {
      res.on('close', () => {
        if (!res.writableFinished) closed();
      });
      const text = fixture('text-stream.sse.txt');
      await sendSse(res, text, text.indexOf('event: content_block_delta') + 120);
    };
    for await (const event of provider().languageModel('claude-sonnet-4-5').stream(hello)) {
      if (event.type === 'text-delta') break;
    }
    await Promise.race([
      upstreamClosed,
      delay(2000).then(() => assert.fail('the server never saw the connection close')),
    ]);
  });

  test('listModels: GET /v1/models', async () => {
    handler = (_req, res) => sendJson(res, 200, JSON.parse(fixture('models-list.json')));
    const models = await provider({ baseURL: `${baseURL}/v1/` }).listModels();
    assert.equal(seen[0]?.method, 'GET');
    assert.equal(seen[0]?.url, '/v1/models?limit=1000');
    assert.deepEqual(models[0], {
      id: 'claude-sonnet-4-5-20250929',
      provider: 'anthropic',
      ownedBy: 'anthropic',
      created: Date.parse('2025-09-29T00:00:00Z') / 1000,
    });
    assert.equal(models.length, 2);
  });

  test('settings: key and base URL from the environment; a missing key fails the call clearly', async () => {
    handler = (_req, res) => sendJson(res, 200, JSON.parse(fixture('text-response.json')));
    const fromEnv = createAnthropic({
      dispatcher: agent,
      env: { ANTHROPIC_API_KEY: 'sk-env', ANTHROPIC_BASE_URL: baseURL },
    });
    await fromEnv.languageModel('claude-haiku-4-5').generate(hello);
    assert.equal(seen[0]?.headers['x-api-key'], 'sk-env');
    const keyless = createAnthropic({ dispatcher: agent, env: {}, baseURL });
    await assert.rejects(
      keyless.languageModel('claude-haiku-4-5').generate(hello),
      (error: unknown) =>
        ConduitError.isInstance(error) &&
        error.code === 'authentication' &&
        /ANTHROPIC_API_KEY/.test(error.message),
    );
  });
});
