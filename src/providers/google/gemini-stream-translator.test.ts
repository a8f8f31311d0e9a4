import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { ChatEvent } from '../../core/chat-event.js';
import { collectStream } from '../../core/collect-stream.js';
import { ConduitError } from '../../core/errors.js';
import { createSseParser } from '../../core/sse/parse-sse.js';
import { createGeminiStreamTranslator } from './gemini-stream-translator.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));

/** Runs raw SSE bytes through parser + translator, fed `size` bytes at a time, as the transport does. */
function translate(bytes: Buffer | string, size: number): ChatEvent[] {
  const events: ChatEvent[] = [];
  const emit = (event: ChatEvent) => events.push(event);
  const translator = createGeminiStreamTranslator({
    requestedModel: 'gemini-test',
    cost: (model, usage) => ({
      input: usage.promptTokens,
      cachedInput: 0,
      output: usage.completionTokens,
      total: model.length,
    }),
  });
  const parser = createSseParser((event) => translator.push(event, emit));
  const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  for (let at = 0; at < data.length; at += size) parser.feed(data.subarray(at, at + size));
  parser.end();
  translator.end(emit);
  return events;
}

async function* replay(events: ChatEvent[]): AsyncGenerator<ChatEvent> {
  yield* events;
}

const SIZES = [1, 2, 7, 61, 4096];

describe('createGeminiStreamTranslator', () => {
  test('text chunks collect to the same result at any chunk boundary', async () => {
    for (const size of SIZES) {
      const events = translate(fixture('stream-text.sse'), size);
      assert.deepEqual(events[0], {
        type: 'start',
        id: (events[0] as { id: string }).id,
        model: 'gemini-3.1-flash-lite',
        created: (events[0] as { created: number }).created,
      });
      const result = await collectStream(replay(events));
      assert.equal(result.text, 'The capital of Wyoming is **Cheyenne**.\n', `size ${size}`);
      assert.equal(result.finishReason, 'stop');
      assert.deepEqual(result.usage, { promptTokens: 7, completionTokens: 10, totalTokens: 17 });
      assert.deepEqual(result.cost, {
        input: 7,
        cachedInput: 0,
        output: 10,
        total: 'gemini-3.1-flash-lite'.length,
      });
      assert.deepEqual(
        events.map((e) => e.type),
        ['start', 'text-delta', 'text-delta', 'text-delta', 'finish', 'usage'],
      );
    }
  });

  test('thoughts stream as reasoning; a function call arrives whole as one tool-call-delta', async () => {
    for (const size of SIZES) {
      const events = translate(fixture('stream-thinking-function-call.sse'), size);
      const calls = events.filter((e) => e.type === 'tool-call-delta');
      // The recorded call carries a thought signature, which must travel with it.
      const signature = /"thoughtSignature":\s*"([^"]+)"/.exec(
        fixture('stream-thinking-function-call.sse').toString(),
      )![1];
      assert.deepEqual(calls, [
        {
          type: 'tool-call-delta',
          index: 0,
          id: 'call_0',
          name: 'now',
          arguments: '{}',
          choice: 0,
          extra: { google: { thought_signature: signature } },
        },
      ]);
      const result = await collectStream(replay(events));
      assert.equal(result.id, '48SHaPHpHKbG-8YPtZCawAk');
      assert.equal(result.finishReason, 'tool_calls');
      assert.match(result.reasoning ?? '', /Calculating the Days[\s\S]*Determining the Approach/);
      assert.equal(result.text, '');
      assert.deepEqual(result.usage, {
        promptTokens: 38,
        completionTokens: 174,
        totalTokens: 212,
        reasoningTokens: 168,
      });
    }
  });

  test('tool-call indexes count calls across chunks', () => {
    const chunk = (name: string, finish?: string) =>
      `data: ${JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ functionCall: { name, args: { q: name } } }] }, ...(finish ? { finishReason: finish } : {}) }] })}\n\n`;
    const events = translate(chunk('a') + chunk('b') + chunk('c', 'STOP'), 5);
    assert.deepEqual(
      events.filter((e) => e.type === 'tool-call-delta').map((e) => [e.index, e.id, e.name, e.arguments]),
      [
        [0, 'call_0', 'a', '{"q":"a"}'],
        [1, 'call_1', 'b', '{"q":"b"}'],
        [2, 'call_2', 'c', '{"q":"c"}'],
      ],
    );
  });

  test('RECITATION with no content finishes as content_filter', async () => {
    const result = await collectStream(replay(translate(fixture('stream-recitation.sse'), 13)));
    assert.equal(result.text, 'text1text2');
    assert.equal(result.finishReason, 'content_filter');
  });

  test('a prompt blocked mid-stream throws content_filter after the text already translated', () => {
    const events: ChatEvent[] = [];
    const translator = createGeminiStreamTranslator({ requestedModel: 'gemini-test' });
    const parser = createSseParser((event) => translator.push(event, (e) => events.push(e)));
    assert.throws(
      () => {
        parser.feed(fixture('stream-prompt-blocked.sse'));
        parser.end();
      },
      (error: unknown) => ConduitError.isInstance(error) && error.code === 'content_filter',
    );
    assert.deepEqual(
      events.filter((e) => e.type === 'text-delta').map((e) => e.text),
      ['text1', 'text2'],
    );
  });

  test('an error object inside the stream is thrown as a mapped error', () => {
    const sse = `data: ${JSON.stringify({ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } })}\n\n`;
    assert.throws(
      () => translate(sse, 9),
      (error: unknown) => ConduitError.isInstance(error) && error.code === 'overloaded' && error.retryable,
    );
  });

  test('a stream that ends without a finishReason is a retryable upstream_error', () => {
    const text = fixture('stream-text.sse').toString('utf8');
    const truncated = text.slice(0, text.lastIndexOf('data:'));
    assert.throws(
      () => translate(truncated, 50),
      (error: unknown) =>
        ConduitError.isInstance(error) && error.code === 'upstream_error' && error.retryable,
    );
    assert.throws(
      () => translate('', 1),
      (error: unknown) => ConduitError.isInstance(error) && error.code === 'upstream_error',
    );
  });
});
