/**
 * A Server-Sent Events parser (WHATWG event-stream rules) that is robust to chunk boundaries
 * anywhere — mid-line, mid-CRLF, mid-UTF-8 character — and fast enough to sit on the gateway's hot
 * path: it scans with indexOf over one buffer and allocates only the strings it hands out.
 */
import { StringDecoder } from 'node:string_decoder';

export interface SseEvent {
  /** The `event:` field; undefined means the default type ("message"). */
  event?: string;
  data: string;
  id?: string;
  retry?: number;
}

export interface SseParser {
  /** Feeds bytes (decoded as UTF-8 across chunk boundaries) or already-decoded text. */
  feed(chunk: Uint8Array | string): void;
  /** Ends the stream: flushes a final event that lacked its blank line (many servers omit it). */
  end(): void;
}

/**
 * @example
 * const parser = createSseParser((e) => console.log(e.event, e.data));
 * parser.feed(chunk); ... parser.end();
 */
export function createSseParser(onEvent: (event: SseEvent) => void): SseParser {
  // Node's StringDecoder keeps partial UTF-8 sequences across chunks like TextDecoder({stream}), and
  // is about 5x faster on Node 20 (measured in bench/sse.ts).
  const decoder = new StringDecoder('utf8');
  let buffer = '';
  // A chunk that ended in '\r' may be followed by the '\n' of the same CRLF.
  let skipLeadingLF = false;
  let data: string | undefined;
  let eventType: string | undefined;
  let lastId: string | undefined;
  let retry: number | undefined;
  let sawField = false;

  const dispatch = () => {
    if (data !== undefined) {
      const event: SseEvent = { data };
      if (eventType !== undefined) event.event = eventType;
      if (lastId !== undefined) event.id = lastId;
      if (retry !== undefined) event.retry = retry;
      onEvent(event);
    }
    data = undefined;
    eventType = undefined;
    retry = undefined;
    sawField = false;
  };

  // Works on (text, start, end) so the common `data: ...` line costs one slice, not two.
  const processLine = (text: string, start: number, end: number) => {
    if (start === end) {
      if (sawField) dispatch();
      return;
    }
    const first = text.charCodeAt(start);
    if (first === 58) return; // ':' — a comment (keep-alive pings such as ": OPENROUTER PROCESSING")
    sawField = true;
    // Fast path: "data:" (d=100 a=97 t=116 a=97 :=58)
    if (
      first === 100 &&
      end - start >= 5 &&
      text.charCodeAt(start + 4) === 58 &&
      text.charCodeAt(start + 1) === 97 &&
      text.charCodeAt(start + 2) === 116 &&
      text.charCodeAt(start + 3) === 97
    ) {
      const from = text.charCodeAt(start + 5) === 32 ? start + 6 : start + 5;
      const value = text.slice(from, end);
      data = data === undefined ? value : `${data}\n${value}`;
      return;
    }
    const colon = text.indexOf(':', start);
    let field: string;
    let value: string;
    if (colon === -1 || colon >= end) {
      field = text.slice(start, end);
      value = '';
    } else {
      field = text.slice(start, colon);
      value = text.charCodeAt(colon + 1) === 32 ? text.slice(colon + 2, end) : text.slice(colon + 1, end);
    }
    switch (field) {
      case 'data':
        data = data === undefined ? value : `${data}\n${value}`;
        break;
      case 'event':
        eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) lastId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) retry = Number(value);
        break;
      default:
        break; // unknown fields are ignored, as the spec says
    }
  };

  const consume = (text: string) => {
    if (skipLeadingLF) {
      skipLeadingLF = false;
      if (text.charCodeAt(0) === 10) text = text.slice(1);
    }
    buffer = buffer.length === 0 ? text : buffer + text;
    let start = 0;
    let cr = buffer.indexOf('\r');
    const length = buffer.length;
    while (start < length) {
      const lf = buffer.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = buffer.indexOf('\r', start);
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        end = cr;
        if (cr + 1 < length) {
          next = buffer.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
        } else {
          next = cr + 1;
          skipLeadingLF = true;
        }
      } else if (lf !== -1) {
        end = lf;
        next = lf + 1;
      } else {
        break;
      }
      processLine(buffer, start, end);
      start = next;
    }
    buffer = start === 0 ? buffer : buffer.slice(start);
  };

  return {
    feed(chunk) {
      if (typeof chunk === 'string') consume(chunk);
      else
        consume(
          decoder.write(
            Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
          ),
        );
    },
    end() {
      const rest = decoder.end();
      if (rest) consume(rest);
      if (buffer.length > 0) {
        processLine(buffer, 0, buffer.length);
        buffer = '';
      }
      if (sawField) dispatch();
    },
  };
}

/** Parses a byte stream (a fetch/undici body, a Node Readable) into SSE events. */
export async function* parseSseStream(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseEvent> {
  const queue: SseEvent[] = [];
  const parser = createSseParser((event) => queue.push(event));
  for await (const chunk of source) {
    parser.feed(chunk);
    // Index walk instead of shift(): shift is O(n) per call on large bursts.
    for (let i = 0; i < queue.length; i++) yield queue[i]!;
    queue.length = 0;
  }
  parser.end();
  for (const event of queue) yield event;
}
