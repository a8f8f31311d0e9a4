import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createSseParser, parseSseStream, type SseEvent } from './parse-sse.js';

/** An event as the parser shapes it: every field present, unset ones undefined. */
const ev = (data: string, extra: Partial<SseEvent> = {}): SseEvent => ({
  event: undefined,
  data,
  id: undefined,
  retry: undefined,
  ...extra,
});

function parseChunks(chunks: (string | Uint8Array)[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createSseParser((e) => events.push(e));
  for (const c of chunks) parser.feed(c);
  parser.end();
  return events;
}

const STREAM =
  ': keep-alive comment\r\n' +
  'event: message_start\r\n' +
  'data: {"text":"héllo 👋 世界"}\r\n' +
  '\r\n' +
  'data: line one\n' +
  'data: line two\n' +
  'id: 42\n' +
  '\n' +
  'data:no-space\r' +
  '\r' +
  'retry: 1500\n' +
  'data: [DONE]\n\n';

const EXPECTED: SseEvent[] = [
  ev('{"text":"héllo 👋 世界"}', { event: 'message_start' }),
  ev('line one\nline two', { id: '42' }),
  ev('no-space', { id: '42' }),
  ev('[DONE]', { id: '42', retry: 1500 }),
];

describe('createSseParser', () => {
  test('parses CRLF, CR and LF line endings, comments, multi-line data, id and retry', () => {
    assert.deepEqual(parseChunks([STREAM]), EXPECTED);
  });

  test('gives the same events for a split at every byte position (mid-line, mid-CRLF, mid-UTF-8)', () => {
    const bytes = new TextEncoder().encode(STREAM);
    for (let i = 1; i < bytes.length; i++) {
      const events = parseChunks([bytes.subarray(0, i), bytes.subarray(i)]);
      assert.deepEqual(events, EXPECTED, `split at byte ${i}`);
    }
  });

  test('gives the same events when fed one byte at a time', () => {
    const bytes = new TextEncoder().encode(STREAM);
    const chunks = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
    assert.deepEqual(parseChunks(chunks), EXPECTED);
  });

  test('flushes a last event that has no blank line after it', () => {
    assert.deepEqual(parseChunks(['data: {"a":1}\n\ndata: {"b":2}']), [ev('{"a":1}'), ev('{"b":2}')]);
  });

  test('ignores events with no data field and blank lines between events', () => {
    assert.deepEqual(parseChunks(['\n\nevent: ping\n\n: only a comment\n\ndata: x\n\n']), [ev('x')]);
  });

  test('keeps an empty data field as an empty string', () => {
    assert.deepEqual(parseChunks(['data\n\ndata:\n\n']), [ev(''), ev('')]);
  });
});

describe('parseSseStream', () => {
  test('yields events from an async byte source', async () => {
    async function* source() {
      yield new TextEncoder().encode('data: a\n');
      yield new TextEncoder().encode('\ndata: b\n\n');
    }
    const out: string[] = [];
    for await (const e of parseSseStream(source())) out.push(e.data);
    assert.deepEqual(out, ['a', 'b']);
  });
});
