import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { ChatEvent } from '../../core/chat-event.js';
import { collectStream } from '../../core/collect-stream.js';
import { ConduitError } from '../../core/errors.js';
import { createSseParser } from '../../core/sse/parse-sse.js';
import { OPENAI_COMPATIBLE_PRESETS } from '../openai-compatible/presets.js';
import { convertToOpenAIRequest, OPENAI_QUIRKS } from './convert-to-openai-request.js';
import { mapOpenAIError } from './map-openai-error.js';
import { mapOpenAIResponse } from './map-openai-response.js';
import { createOpenAIStreamTranslator } from './openai-stream-translator.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

/** Runs raw SSE text through parser + translator, split into chunks of `size` bytes. */
async function translate(sse: string, size: number): Promise<ChatEvent[]> {
  const events: ChatEvent[] = [];
  const translator = createOpenAIStreamTranslator({ provider: 'openai', requestedModel: 'gpt-4o-mini' });
  const parser = createSseParser((e) => translator.push(e, (ev) => events.push(ev)));
  const bytes = new TextEncoder().encode(sse);
  for (let i = 0; i < bytes.length; i += size) parser.feed(bytes.subarray(i, i + size));
  parser.end();
  translator.end((ev) => events.push(ev));
  return events;
}

async function* iterate(events: ChatEvent[]) {
  yield* events;
}

describe('convertToOpenAIRequest', () => {
  const request = {
    model: 'ignored',
    messages: [
      { role: 'system' as const, content: 'Be brief.' },
      {
        role: 'user' as const,
        content: [
          { type: 'text' as const, text: 'What is in this image?' },
          { type: 'image_url' as const, image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
    ],
    max_tokens: 50,
    seed: 7,
    top_k: 40,
    tool_choice: 'required' as const,
    logit_bias: { '50256': -100 },
    extra_body: { safe_prompt: true },
  };

  test('OpenAI: max_completion_tokens, images passed through, top_k dropped, stream usage asked for', () => {
    const body = convertToOpenAIRequest(request, 'gpt-4o-mini', OPENAI_QUIRKS, { stream: true });
    assert.equal(body.model, 'gpt-4o-mini');
    assert.equal(body.max_completion_tokens, 50);
    assert.equal(body.max_tokens, undefined);
    assert.equal(body.top_k, undefined);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.deepEqual((body.messages as typeof request.messages)[1], request.messages[1]);
    assert.equal(body.safe_prompt, true);
  });

  test('Mistral: random_seed, tool_choice "any", no stream_options, no logit_bias', () => {
    const body = convertToOpenAIRequest(request, 'mistral-small-latest', OPENAI_COMPATIBLE_PRESETS.mistral, {
      stream: true,
    });
    assert.equal(body.random_seed, 7);
    assert.equal(body.seed, undefined);
    assert.equal(body.tool_choice, 'any');
    assert.equal(body.max_tokens, 50);
    assert.equal(body.stream_options, undefined);
    assert.equal(body.logit_bias, undefined);
  });

  test('vLLM keeps top_k and uses max_tokens', () => {
    const body = convertToOpenAIRequest(request, 'Qwen/Qwen2.5-7B-Instruct', OPENAI_COMPATIBLE_PRESETS.vllm);
    assert.equal(body.top_k, 40);
    assert.equal(body.max_tokens, 50);
    assert.equal(body.stream, undefined);
  });
});

describe('mapOpenAIResponse', () => {
  test('maps parallel tool calls, finish reason and usage with cached tokens', () => {
    const result = mapOpenAIResponse(
      JSON.parse(fixture('chat-completion-tools.json')),
      'openai',
      'gpt-4o-mini',
    );
    assert.equal(result.finishReason, 'tool_calls');
    assert.equal(result.toolCalls.length, 2);
    assert.equal(result.toolCalls[1]!.id, 'call_def456');
    assert.deepEqual(JSON.parse(result.toolCalls[0]!.function.arguments), { location: 'Boston, MA' });
    assert.deepEqual(result.usage, {
      promptTokens: 82,
      completionTokens: 17,
      totalTokens: 99,
      cachedTokens: 64,
    });
    assert.equal(result.model, 'gpt-4o-mini-2024-07-18');
  });

  test('a response with no choices is an invalid_response error', () => {
    assert.throws(
      () => mapOpenAIResponse({ id: 'x', choices: [] }, 'openai', 'm'),
      (e: unknown) => ConduitError.isInstance(e) && e.code === 'invalid_response',
    );
  });
});

describe('createOpenAIStreamTranslator', () => {
  for (const size of [1, 3, 7, 64, 100000]) {
    test(`reassembles parallel tool-call argument fragments (chunks of ${size} bytes)`, async () => {
      const events = await translate(fixture('chat-stream-tools.sse'), size);
      const result = await collectStream(iterate(events));
      assert.equal(result.id, 'chatcmpl-123');
      assert.equal(result.finishReason, 'tool_calls');
      assert.deepEqual(
        result.toolCalls.map((c) => [c.id, c.function.name, JSON.parse(c.function.arguments)]),
        [
          ['call_abc123', 'get_current_weather', { location: 'Boston, MA' }],
          ['call_def456', 'get_current_weather', { location: 'Paris, France' }],
        ],
      );
      assert.equal(result.usage.totalTokens, 118);
    });
  }

  test('a stream that ends with no finish and no [DONE] is an upstream_error', async () => {
    const cut = fixture('chat-stream-tools.sse').split('\n\n').slice(0, 3).join('\n\n');
    await assert.rejects(
      translate(cut, 50),
      (e: unknown) => ConduitError.isInstance(e) && e.code === 'upstream_error' && e.retryable,
    );
  });

  test('an error object inside the stream becomes a ConduitError', async () => {
    const sse = 'data: {"error":{"message":"The server had an error","type":"server_error","code":null}}\n\n';
    await assert.rejects(
      translate(sse, 10),
      (e: unknown) => ConduitError.isInstance(e) && e.code === 'upstream_error',
    );
  });
});

describe('mapOpenAIError', () => {
  const map = mapOpenAIError('openai');
  test('context_length_exceeded keeps its param and status', () => {
    const error = map(400, fixture('error-context-length.json'), {});
    assert.equal(error.code, 'context_length_exceeded');
    assert.equal(error.status, 400);
    assert.equal(error.param, 'messages');
    assert.equal(error.retryable, false);
  });
  test('429 is rate_limited, retryable, with retry-after-ms honoured', () => {
    const error = map(429, fixture('error-rate-limit.json'), { 'retry-after-ms': '120' });
    assert.equal(error.code, 'rate_limited');
    assert.equal(error.retryable, true);
    assert.equal(error.retryAfterMs, 120);
  });
  test('insufficient_quota is budget_exceeded and not retried', () => {
    const error = map(
      429,
      '{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}',
      {},
    );
    assert.equal(error.code, 'budget_exceeded');
    assert.equal(error.retryable, false);
  });
  test('401, 403, 404, 500, 503 and non-JSON bodies', () => {
    assert.equal(
      map(401, '{"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}}', {}).code,
      'authentication',
    );
    assert.equal(map(403, '{"error":{"message":"no access"}}', {}).code, 'permission');
    assert.equal(
      map(404, '{"error":{"message":"The model `x` does not exist","code":"model_not_found"}}', {}).code,
      'not_found',
    );
    assert.equal(map(500, 'Internal Server Error', {}).code, 'upstream_error');
    const overloaded = map(503, '{"detail":"Service Unavailable"}', {});
    assert.equal(overloaded.code, 'overloaded');
    assert.match(overloaded.message, /Service Unavailable/);
  });
});
