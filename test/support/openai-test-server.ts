/**
 * A local server that speaks OpenAI's Chat Completions wire format, for tests and benchmarks: it
 * answers deterministically (echo, tool calls, JSON that fits the requested schema) and injects the
 * faults real upstreams produce (429 with Retry-After, 5xx, slow first byte, reset, cut streams).
 * It records every request and notices when a client closes its socket.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Fault {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Wait before sending headers. */
  delayMs?: number;
  /** Destroy the socket without answering. */
  reset?: boolean;
  /** Streaming: destroy the socket after this many SSE events. */
  cutAfterEvents?: number;
  /** Streaming: wait this long between events. */
  eventDelayMs?: number;
  /** Streaming: omit the final `[DONE]` (and the finish chunk when `cutAfterEvents` is set). */
  omitDone?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface OpenAITestServer {
  url: string;
  /** Base URL including `/v1`. */
  baseURL: string;
  requests: RecordedRequest[];
  /** Number of client sockets that closed before their response finished. */
  abortedResponses: number;
  enqueue(...faults: Fault[]): void;
  close(): Promise<void>;
  server: Server;
}

function lastUserText(body: Record<string, unknown>): string {
  const messages = (body.messages ?? []) as { role: string; content: unknown }[];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content)) {
      return (m.content as { type: string; text?: string }[])
        .filter((p) => p.type === 'text')
        .map((p) => p.text)
        .join('');
    }
  }
  return '';
}

/** A value that validates against a (simple) JSON Schema: first enum value, one array item, etc. */
export function sampleFromSchema(schema: Record<string, unknown>): unknown {
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if ('const' in schema) return schema.const;
  const anyOf = (schema.anyOf ?? schema.oneOf) as Record<string, unknown>[] | undefined;
  if (anyOf?.[0]) return sampleFromSchema(anyOf[0]);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
      for (const [key, sub] of Object.entries(props)) out[key] = sampleFromSchema(sub);
      return out;
    }
    case 'array':
      return [sampleFromSchema((schema.items ?? {}) as Record<string, unknown>)];
    case 'integer':
      return (schema.minimum as number | undefined) ?? 1;
    case 'number':
      return (schema.minimum as number | undefined) ?? 1.5;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return 'text';
  }
}

interface Answer {
  content: string | null;
  toolCalls: { id: string; name: string; arguments: string }[];
}

function answerFor(body: Record<string, unknown>): Answer {
  const tools = (body.tools ?? []) as { function: { name: string; parameters?: Record<string, unknown> } }[];
  const choice = body.tool_choice as string | { function?: { name: string } } | undefined;
  const text = lastUserText(body);
  const lastRole = ((body.messages ?? []) as { role: string }[]).at(-1)?.role;
  const wantsTools =
    tools.length > 0 &&
    choice !== 'none' &&
    lastRole !== 'tool' &&
    (choice === 'required' || typeof choice === 'object' || /\b(call|use|tool)\b/i.test(text));
  if (wantsTools) {
    const named = typeof choice === 'object' ? choice.function?.name : undefined;
    const selected = named ? tools.filter((t) => t.function.name === named) : tools;
    return {
      content: null,
      toolCalls: selected.map((t, i) => ({
        id: `call_${i}_${t.function.name}`,
        name: t.function.name,
        arguments: JSON.stringify(sampleFromSchema(t.function.parameters ?? { type: 'object' })),
      })),
    };
  }
  const format = body.response_format as
    | { type: string; json_schema?: { schema: Record<string, unknown> } }
    | undefined;
  if (format?.type === 'json_schema' && format.json_schema) {
    return { content: JSON.stringify(sampleFromSchema(format.json_schema.schema)), toolCalls: [] };
  }
  if (format?.type === 'json_object') return { content: JSON.stringify({ echo: text }), toolCalls: [] };
  if (lastRole === 'tool') return { content: 'Done: the tool answered.', toolCalls: [] };
  return { content: `Echo: ${text}`, toolCalls: [] };
}

const tokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));

function usageFor(body: Record<string, unknown>, answer: Answer) {
  const prompt = tokens(JSON.stringify(body.messages ?? ''));
  const completion = tokens((answer.content ?? '') + answer.toolCalls.map((t) => t.arguments).join(''));
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0 },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface OpenAITestServerOptions {
  model?: string;
  /**
   * The fault for a request when none is queued, chosen from the request itself: for load tests
   * whose requests arrive in no set order (e.g. slow streams for some prompts, fast answers for others).
   */
  faultFor?: (request: RecordedRequest) => Fault | undefined;
}

export async function startOpenAITestServer(
  options: OpenAITestServerOptions = {},
): Promise<OpenAITestServer> {
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  const state = { abortedResponses: 0 };
  const model = options.model ?? 'test-model';

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const path = (req.url ?? '').split('?')[0]!;
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body };
    requests.push(recorded);
    res.on('close', () => {
      if (!res.writableFinished) state.abortedResponses++;
    });
    const fault = faults.shift() ?? options.faultFor?.(recorded) ?? {};
    if (fault.delayMs) await sleep(fault.delayMs);
    if (fault.reset) {
      req.socket.destroy();
      return;
    }
    if (fault.status && fault.status >= 400) {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(
        JSON.stringify(
          fault.body ?? {
            error: { message: `injected ${fault.status}`, type: 'server_error', param: null, code: null },
          },
        ),
      );
      return;
    }
    if (path === '/api/tags') {
      // Ollama's native model list, so the gateway's zero-config discovery can find this server.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ models: [{ name: model, model, size: 1 }] }));
      return;
    }
    if (path.endsWith('/models')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          object: 'list',
          data: [{ id: model, object: 'model', created: 1700000000, owned_by: 'test' }],
        }),
      );
      return;
    }
    if (path.endsWith('/embeddings')) {
      const input = (Array.isArray(body.input) ? body.input : [body.input]) as string[];
      const dims = (body.dimensions as number | undefined) ?? 8;
      const data = input.map((text, index) => ({
        object: 'embedding',
        index,
        embedding: embedText(text, dims),
      }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          object: 'list',
          data,
          model: body.model,
          usage: {
            prompt_tokens: input.reduce((n, t) => n + tokens(t), 0),
            total_tokens: input.reduce((n, t) => n + tokens(t), 0),
          },
        }),
      );
      return;
    }
    const answer = answerFor(body);
    const id = `chatcmpl-${requests.length}`;
    const created = 1700000000;
    const usage = usageFor(body, answer);
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json', ...fault.headers });
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model: body.model ?? model,
          choices: [
            {
              index: 0,
              message: {
                role: 'assistant',
                content: answer.content,
                ...(answer.toolCalls.length
                  ? {
                      tool_calls: answer.toolCalls.map((t) => ({
                        id: t.id,
                        type: 'function',
                        function: { name: t.name, arguments: t.arguments },
                      })),
                    }
                  : {}),
              },
              finish_reason: answer.toolCalls.length ? 'tool_calls' : 'stop',
              logprobs: null,
            },
          ],
          usage,
        }),
      );
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      ...fault.headers,
    });
    const base = {
      id,
      object: 'chat.completion.chunk',
      created,
      model: body.model ?? model,
      system_fingerprint: 'fp_test',
    };
    const events: string[] = [
      JSON.stringify({
        ...base,
        choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
      }),
    ];
    if (answer.content) {
      for (const piece of answer.content.match(/\S+\s*|\s+/g) ?? []) {
        events.push(
          JSON.stringify({
            ...base,
            choices: [{ index: 0, delta: { content: piece }, finish_reason: null }],
          }),
        );
      }
    }
    answer.toolCalls.forEach((call, index) => {
      events.push(
        JSON.stringify({
          ...base,
          choices: [
            {
              index: 0,
              delta: {
                tool_calls: [
                  { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
                ],
              },
              finish_reason: null,
            },
          ],
        }),
      );
      // Argument fragments split at awkward places, as real servers do.
      for (let i = 0; i < call.arguments.length; i += 5) {
        events.push(
          JSON.stringify({
            ...base,
            choices: [
              {
                index: 0,
                delta: { tool_calls: [{ index, function: { arguments: call.arguments.slice(i, i + 5) } }] },
                finish_reason: null,
              },
            ],
          }),
        );
      }
    });
    events.push(
      JSON.stringify({
        ...base,
        choices: [{ index: 0, delta: {}, finish_reason: answer.toolCalls.length ? 'tool_calls' : 'stop' }],
      }),
    );
    const streamOptions = body.stream_options as { include_usage?: boolean } | undefined;
    if (streamOptions?.include_usage) events.push(JSON.stringify({ ...base, choices: [], usage }));
    if (!fault.omitDone) events.push('[DONE]');
    for (let i = 0; i < events.length; i++) {
      if (fault.cutAfterEvents !== undefined && i >= fault.cutAfterEvents) {
        req.socket.destroy();
        return;
      }
      if (res.destroyed) return;
      if (!res.write(`data: ${events[i]}\n\n`)) await once(res, 'drain');
      if (fault.eventDelayMs) await sleep(fault.eventDelayMs);
    }
    res.end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: String(error), type: 'server_error' } }));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseURL: `${url}/v1`,
    requests,
    get abortedResponses() {
      return state.abortedResponses;
    },
    enqueue: (...f) => faults.push(...f),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    server,
  };
}

/** Deterministic unit vector from the text (FNV-1a seeded), so equal texts embed equally. */
function embedText(text: string, dims: number): number[] {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  const v: number[] = [];
  for (let i = 0; i < dims; i++) {
    h = Math.imul(h ^ (h >>> 15), 2246822507) >>> 0;
    v.push((h / 4294967295) * 2 - 1);
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}
