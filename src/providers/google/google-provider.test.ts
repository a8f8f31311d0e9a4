import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Agent } from 'undici';
import type { ChatEvent } from '../../core/chat-event.js';
import { collectStream } from '../../core/collect-stream.js';
import { ConduitError } from '../../core/errors.js';
import { createGoogle } from './google-provider.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown> | undefined;
}

type Handler = (req: Seen, res: ServerResponse) => void;

let server: Server;
let baseURL: string;
let handler: Handler;
let seen: Seen[];
const dispatcher = new Agent({ keepAliveTimeout: 10 });

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: raw ? JSON.parse(raw) : undefined,
      };
      seen.push(entry);
      handler(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await dispatcher.close();
});

beforeEach(() => {
  seen = [];
});

const json = (res: ServerResponse, status: number, body: string) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(body);
};

const google = (retries = 3) =>
  createGoogle({
    apiKey: 'test-key',
    baseURL,
    env: {},
    dispatcher,
    retry: { maxAttempts: retries, initialDelayMs: 1, maxDelayMs: 5 },
  });

describe('createGoogle against a local Gemini server', () => {
  test('generate: text, path, key header and cost', async () => {
    handler = (_req, res) => json(res, 200, fixture('generate-content-thinking.json'));
    const model = google().languageModel('gemini-2.5-flash');
    assert.equal(model.id, 'google:gemini-2.5-flash');
    const result = await model.generate({ messages: [{ role: 'user', content: 'Where is Google based?' }] });
    assert.equal(result.text, 'Mountain View');
    assert.equal(seen[0]!.method, 'POST');
    assert.equal(seen[0]!.url, '/v1beta/models/gemini-2.5-flash:generateContent');
    assert.equal(seen[0]!.headers['x-goog-api-key'], 'test-key');
    assert.deepEqual(seen[0]!.body, {
      contents: [{ role: 'user', parts: [{ text: 'Where is Google based?' }] }],
    });
    assert.ok(result.cost && result.cost.total > 0, 'gemini-2.5-flash has a price');
  });

  test('stream: SSE written in pieces is translated and collected', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const text = fixture('stream-text.sse');
      const cut = text.indexOf('capital') + 3;
      res.write(text.slice(0, cut));
      setTimeout(() => res.end(text.slice(cut)), 10);
    };
    const events: ChatEvent[] = [];
    const model = google().languageModel('gemini-3.1-flash-lite');
    const result = await collectStream(
      (async function* () {
        for await (const event of model.stream({
          messages: [{ role: 'user', content: 'Capital of Wyoming?' }],
        })) {
          events.push(event);
          yield event;
        }
      })(),
    );
    assert.equal(seen[0]!.url, '/v1beta/models/gemini-3.1-flash-lite:streamGenerateContent?alt=sse');
    assert.equal(result.text, 'The capital of Wyoming is **Cheyenne**.\n');
    assert.equal(events.at(-1)?.type, 'usage');
    assert.deepEqual(result.usage, { promptTokens: 7, completionTokens: 10, totalTokens: 17 });
  });

  test('tool call: parallel calls come back, and their results go up as functionResponse parts', async () => {
    handler = (_req, res) => json(res, 200, fixture('generate-content-parallel-calls.json'));
    const model = google().languageModel('gemini-2.0-flash');
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'sum',
          parameters: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } } },
        },
      },
    ];
    const first = await model.generate({ messages: [{ role: 'user', content: 'Compute' }], tools });
    assert.equal(first.finishReason, 'tool_calls');
    assert.equal(first.toolCalls.length, 3);

    handler = (_req, res) => json(res, 200, fixture('generate-content-thinking.json'));
    await model.generate({
      messages: [
        { role: 'user', content: 'Compute' },
        { role: 'assistant', tool_calls: first.toolCalls },
        ...first.toolCalls.map((call, i) => ({
          role: 'tool' as const,
          tool_call_id: call.id,
          content: String(i),
        })),
      ],
      tools,
    });
    const contents = seen[1]!.body!.contents as { role: string; parts: Record<string, unknown>[] }[];
    assert.deepEqual(contents[1]!.parts[0], { functionCall: { name: 'sum', args: { y: 1, x: 2 } } });
    assert.deepEqual(
      contents[2]!.parts.map((p) => p.functionResponse),
      [
        { name: 'sum', response: { content: '0' } },
        { name: 'multiply', response: { content: '1' } },
        { name: 'subtract', response: { content: '2' } },
      ],
    );
  });

  test('embeddings: 150 texts go as batches of 100 and 50, with task type and dimensions', async () => {
    handler = (req, res) => {
      const requests = req.body!.requests as unknown[];
      json(res, 200, JSON.stringify({ embeddings: requests.map((_r, i) => ({ values: [i, 0.5] })) }));
    };
    const embedder = google().embeddingModel('gemini-embedding-001');
    const texts = Array.from({ length: 150 }, (_v, i) => `text ${i}`);
    const result = await embedder.embed(texts, { inputType: 'document', dimensions: 768 });
    assert.equal(result.embeddings.length, 150);
    assert.deepEqual(result.embeddings[120], [20, 0.5]);
    assert.deepEqual(
      seen.map((s) => [s.url, (s.body!.requests as unknown[]).length]),
      [
        ['/v1beta/models/gemini-embedding-001:batchEmbedContents', 100],
        ['/v1beta/models/gemini-embedding-001:batchEmbedContents', 50],
      ],
    );
    assert.deepEqual((seen[0]!.body!.requests as unknown[])[0], {
      model: 'models/gemini-embedding-001',
      content: { parts: [{ text: 'text 0' }] },
      taskType: 'RETRIEVAL_DOCUMENT',
      outputDimensionality: 768,
    });
  });

  test('429 RESOURCE_EXHAUSTED is retried after its RetryInfo delay, then succeeds', async () => {
    const quota = JSON.parse(fixture('error-quota.json'));
    quota.error.details[2].retryDelay = '0.05s';
    handler = (_req, res) =>
      seen.length === 1
        ? json(res, 429, JSON.stringify(quota))
        : json(res, 200, fixture('generate-content-thinking.json'));
    const delays: number[] = [];
    const provider = createGoogle({
      apiKey: 'k',
      baseURL,
      env: {},
      dispatcher,
      onRetry: (info) => delays.push(info.delayMs),
    });
    const result = await provider
      .languageModel('gemini-2.5-flash')
      .generate({ messages: [{ role: 'user', content: 'x' }] });
    assert.equal(result.text, 'Mountain View');
    assert.equal(seen.length, 2);
    assert.deepEqual(delays, [50]);
  });

  test('503 UNAVAILABLE is retried, then surfaces as overloaded', async () => {
    handler = (_req, res) =>
      json(
        res,
        503,
        JSON.stringify({
          error: {
            code: 503,
            message: 'The model is overloaded. Please try again later.',
            status: 'UNAVAILABLE',
          },
        }),
      );
    await assert.rejects(
      google(2)
        .languageModel('gemini-2.5-flash')
        .generate({ messages: [{ role: 'user', content: 'x' }] }),
      (error: unknown) =>
        ConduitError.isInstance(error) && error.code === 'overloaded' && error.provider === 'google',
    );
    assert.equal(seen.length, 2);
  });

  test('a stream cut mid-way ends with one error event instead of hanging', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const first = fixture('stream-text.sse').split('\n\n')[0]!;
      res.write(`${first}\n\n`);
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const events: ChatEvent[] = [];
    for await (const event of google()
      .languageModel('gemini-2.5-flash')
      .stream({ messages: [{ role: 'user', content: 'x' }] })) {
      events.push(event);
    }
    assert.deepEqual(
      events.map((e) => e.type),
      ['start', 'text-delta', 'error'],
    );
    const last = events.at(-1) as { type: 'error'; error: ConduitError };
    assert.equal(last.error.code, 'upstream_error');
    assert.equal(seen.length, 1, 'no retry once text reached the caller');
  });

  test('a rejected stream request fails the iterator before any event', async () => {
    handler = (_req, res) => json(res, 400, fixture('error-token-limit.json'));
    const iterator = google()
      .languageModel('gemini-2.5-flash')
      .stream({ messages: [{ role: 'user', content: 'x' }] });
    await assert.rejects(
      (async () => {
        for await (const _event of iterator) assert.fail('no event expected');
      })(),
      (error: unknown) => ConduitError.isInstance(error) && error.code === 'context_length_exceeded',
    );
  });

  test('listModels follows pageToken and reads the context window', async () => {
    handler = (req, res) =>
      json(
        res,
        200,
        fixture(req.url.includes('pageToken=') ? 'list-models-page-2.json' : 'list-models-page-1.json'),
      );
    const models = await google().listModels();
    assert.deepEqual(models, [
      { id: 'gemini-2.5-flash', provider: 'google', ownedBy: 'google', contextWindow: 1048576 },
      { id: 'gemini-embedding-001', provider: 'google', ownedBy: 'google', contextWindow: 2048 },
    ]);
    assert.equal(seen[0]!.method, 'GET');
    assert.equal(
      seen[1]!.url,
      `/v1beta/models?pageSize=1000&pageToken=${encodeURIComponent('Ch5tb2RlbHMvZ2VtaW5pLTIuNS1mbGFzaA==')}`,
    );
  });

  test('the key comes from GEMINI_API_KEY, then GOOGLE_API_KEY; none fails the call, not the factory', async () => {
    handler = (_req, res) => json(res, 200, fixture('generate-content-thinking.json'));
    const request = { messages: [{ role: 'user' as const, content: 'x' }] };
    await createGoogle({ baseURL, dispatcher, env: { GOOGLE_API_KEY: 'g', GEMINI_API_KEY: 'gem' } })
      .languageModel('gemini-2.5-flash')
      .generate(request);
    await createGoogle({ baseURL, dispatcher, env: { GOOGLE_API_KEY: 'g' } })
      .languageModel('gemini-2.5-flash')
      .generate(request);
    assert.deepEqual(
      seen.map((s) => s.headers['x-goog-api-key']),
      ['gem', 'g'],
    );
    const model = createGoogle({ baseURL, dispatcher, env: {} }).languageModel('gemini-2.5-flash');
    await assert.rejects(
      model.generate(request),
      (error: unknown) => ConduitError.isInstance(error) && error.code === 'authentication',
    );
  });

  test('the base URL comes from GOOGLE_GEMINI_BASE_URL and may already include the version', async () => {
    handler = (_req, res) => json(res, 200, fixture('generate-content-thinking.json'));
    const provider = createGoogle({
      apiKey: 'k',
      dispatcher,
      env: { GOOGLE_GEMINI_BASE_URL: `${baseURL}/v1beta/` },
    });
    await provider.languageModel('gemini-2.5-flash').generate({ messages: [{ role: 'user', content: 'x' }] });
    assert.equal(seen[0]!.url, '/v1beta/models/gemini-2.5-flash:generateContent');
  });
});
