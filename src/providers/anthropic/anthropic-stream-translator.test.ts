import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { ChatEvent } from '../../core/chat-event.js';
import { collectStream } from '../../core/collect-stream.js';
import { ConduitError } from '../../core/errors.js';
import { createSseParser } from '../../core/sse/parse-sse.js';
import type { AnthropicMessage } from './anthropic-api.js';
import {
  type AnthropicStreamTranslatorOptions,
  createAnthropicStreamTranslator,
} from './anthropic-stream-translator.js';
import { mapAnthropicResponse } from './map-anthropic-response.js';

const bytes = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));

/** Splits a buffer every `size` bytes: mid-line, mid-JSON string, mid-UTF-8 character. */
function chunks(buffer: Buffer, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < buffer.length; i += size) out.push(buffer.subarray(i, i + size));
  return out;
}

/** Runs raw SSE bytes through the parser and the translator, as the transport does. */
function translate(parts: Uint8Array[], options?: AnthropicStreamTranslatorOptions): ChatEvent[] {
  const events: ChatEvent[] = [];
  const emit = (event: ChatEvent) => events.push(event);
  const translator = createAnthropicStreamTranslator(options);
  const parser = createSseParser((event) => translator.push(event, emit));
  for (const part of parts) parser.feed(part);
  parser.end();
  translator.end(emit);
  return events;
}

async function* replay(events: ChatEvent[]): AsyncGenerator<ChatEvent> {
  yield* events;
}

const SPLITS = [1, 2, 7, 64, 100_000];

describe('createAnthropicStreamTranslator', () => {
  test('text stream: start, deltas, one finish, one usage with cache reads in the prompt', async () => {
    for (const size of SPLITS) {
      const events = translate(chunks(bytes('text-stream.sse.txt'), size));
      assert.deepEqual(events[0], {
        type: 'start',
        id: 'msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK',
        model: 'claude-sonnet-4-5-20250929',
      });
      assert.deepEqual(
        events.slice(-2).map((event) => event.type),
        ['finish', 'usage'],
      );
      const result = await collectStream(replay(events));
      assert.equal(result.text, 'Hello there, café ☕!', `split ${size}`);
      assert.equal(result.finishReason, 'stop');
      assert.deepEqual(result.usage, {
        promptTokens: 1035,
        completionTokens: 9,
        totalTokens: 1044,
        cachedTokens: 1024,
      });
    }
  });

  test('tool calls: indexes count tool_use blocks from 0 and argument fragments reassemble', async () => {
    for (const size of SPLITS) {
      const events = translate(chunks(bytes('tool-use-stream.sse.txt'), size));
      const starts = events.filter((event) => event.type === 'tool-call-delta' && event.id);
      assert.deepEqual(
        starts.map((event) => event.type === 'tool-call-delta' && [event.index, event.name, event.arguments]),
        [
          [0, 'get_weather', ''],
          [1, 'get_weather', ''],
        ],
      );
      const result = await collectStream(replay(events));
      assert.equal(result.text, "I'll check the weather in Paris and Zürich.");
      assert.equal(result.finishReason, 'tool_calls');
      assert.deepEqual(
        result.toolCalls.map((call) => [call.id, JSON.parse(call.function.arguments)]),
        [
          ['toolu_01NRLabsLyVHZPKxbKvkfSMn', { location: 'Paris' }],
          ['toolu_01Up7oRoHeGvhded7n66nPzP', { location: 'Zürich' }],
        ],
        `split ${size}`,
      );
    }
  });

  test('thinking streams as reasoning deltas; the signature is not text', async () => {
    const result = await collectStream(replay(translate(chunks(bytes('thinking-stream.sse.txt'), 5))));
    assert.equal(result.reasoning, 'The user said hey as a greeting. No tools are needed.');
    assert.equal(result.text, 'Hello! How can I help you today?');
    assert.deepEqual(result.usage, { promptTokens: 778, completionTokens: 58, totalTokens: 836 });
  });

  test('the emulated json_schema tool streams as text and agrees with the non-streaming mapping', async () => {
    const json = { toolName: 'weather_report', wrapped: false };
    const streamed = await collectStream(
      replay(translate(chunks(bytes('json-tool-stream.sse.txt'), 3), { json })),
    );
    const message = JSON.parse(
      readFileSync(new URL('./__fixtures__/json-tool-response.json', import.meta.url), 'utf8'),
    ) as AnthropicMessage;
    const whole = mapAnthropicResponse(message, json);
    assert.deepEqual(JSON.parse(streamed.text), JSON.parse(whole.text));
    assert.deepEqual(streamed.toolCalls, []);
    assert.equal(streamed.finishReason, whole.finishReason);
    assert.deepEqual(streamed.usage, whole.usage);
  });

  test('the usage event carries the cost the callback computes for the answering model', () => {
    const seen: string[] = [];
    const events = translate(chunks(bytes('text-stream.sse.txt'), 100_000), {
      cost: (model, usage) => {
        seen.push(model);
        return { input: usage.promptTokens, cachedInput: 0, output: usage.completionTokens, total: 1 };
      },
    });
    const usage = events.find((event) => event.type === 'usage');
    assert.deepEqual(seen, ['claude-sonnet-4-5-20250929']);
    assert.deepEqual(usage?.type === 'usage' && usage.cost, {
      input: 1035,
      cachedInput: 0,
      output: 9,
      total: 1,
    });
  });

  test('a zero or null input count in message_delta does not erase the one from message_start', async () => {
    const sse = [
      'event: message_start',
      'data: {"type":"message_start","message":{"id":"m","model":"x","content":[],"usage":{"input_tokens":40,"output_tokens":1}}}',
      '',
      'event: message_delta',
      'data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"input_tokens":0,"cache_read_input_tokens":null,"output_tokens":12}}',
      '',
      'event: message_stop',
      'data: {"type":"message_stop"}',
      '',
      '',
    ].join('\n');
    const result = await collectStream(replay(translate([Buffer.from(sse)])));
    assert.deepEqual(result.usage, { promptTokens: 40, completionTokens: 12, totalTokens: 52 });
  });

  test('a tool call without parameters gets "{}" arguments, as OpenAI clients expect', async () => {
    const sse = [
      'data: {"type":"message_start","message":{"id":"m","model":"x","content":[],"usage":{"input_tokens":1}}}',
      'data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"now","input":{}}}',
      'data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}}',
      'data: {"type":"content_block_stop","index":0}',
      'data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":3}}',
      'data: {"type":"message_stop"}',
      '',
    ].join('\n\n');
    const result = await collectStream(replay(translate([Buffer.from(sse)])));
    assert.deepEqual(result.toolCalls, [
      { id: 'toolu_1', type: 'function', function: { name: 'now', arguments: '{}' } },
    ]);
  });

  test('event: error throws the mapped error (overloaded_error → overloaded, retryable)', () => {
    assert.throws(
      () => translate(chunks(bytes('error-stream.sse.txt'), 9)),
      (error: unknown) => ConduitError.isInstance(error) && error.code === 'overloaded' && error.retryable,
    );
  });

  test('a stream that ends without message_stop is a retryable upstream_error', () => {
    const whole = bytes('text-stream.sse.txt').toString('utf8');
    const cut = whole.slice(0, whole.indexOf('event: message_delta'));
    assert.throws(
      () => translate([Buffer.from(cut)]),
      (error: unknown) =>
        ConduitError.isInstance(error) &&
        error.code === 'upstream_error' &&
        error.retryable &&
        /before message_stop/.test(error.message),
    );
  });
});
