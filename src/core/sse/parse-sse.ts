/**
 * A Server-Sent Events parser (WHATWG event-stream rules) that is robust to chunk boundaries
 * anywhere — mid-line, mid-CRLF, mid-UTF-8 character — and fast enough to sit on the gateway's hot
 * path: lines are found with indexOf over the decoded chunk, a `data:` line followed by a blank line
 * is dispatched without intermediate state, and events have one fixed shape (monomorphic for V8).
 */

export interface SseEvent {
  /** The `event:` field; undefined means the default type ("message"). */
  event: string | undefined;
  data: string;
  /** The last event id seen on the stream. */
  id: string | undefined;
  /** A `retry:` value sent with this event. */
  retry: number | undefined;
}

export interface SseParser {
  /** Feeds bytes (decoded as UTF-8 across chunk boundaries) or already-decoded text. */
  feed(chunk: Uint8Array | string): void;
  /** Ends the stream: flushes a final event that lacked its blank line (many servers omit it). */
  end(): void;
}

const LF = 10;
const CR = 13;
const SPACE = 32;
const COLON = 58;

/** `data:` at `i` (d=100 a=97 t=116 a=97). */
function isData(text: string, i: number): boolean {
  return (
    text.charCodeAt(i) === 100 &&
    text.charCodeAt(i + 4) === COLON &&
    text.charCodeAt(i + 1) === 97 &&
    text.charCodeAt(i + 2) === 116 &&
    text.charCodeAt(i + 3) === 97
  );
}

/**
 * @example
 * const parser = createSseParser((e) => console.log(e.event, e.data));
 * parser.feed(chunk); ... parser.end();
 */
export function createSseParser(onEvent: (event: SseEvent) => void): SseParser {
  const decoder = new TextDecoder('utf-8');
  // Text after the last line break, kept as fragments so a long line arriving in many chunks is
  // joined once rather than re-concatenated per chunk.
  const pending: string[] = [];
  // A chunk that ended in '\r' may be followed by the '\n' of the same CRLF.
  let skipLeadingLF = false;
  let data = '';
  let dataLines = 0;
  let eventType: string | undefined;
  let lastId: string | undefined;
  let retry: number | undefined;

  const dispatch = () => {
    if (dataLines > 0) onEvent({ event: eventType, data, id: lastId, retry });
    data = '';
    dataLines = 0;
    eventType = undefined;
    retry = undefined;
  };

  const field = (name: string, value: string) => {
    switch (name) {
      case 'data':
        data = dataLines === 0 ? value : `${data}\n${value}`;
        dataLines++;
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

  const line = (text: string, start: number, end: number) => {
    if (start === end) {
      dispatch();
      return;
    }
    const first = text.charCodeAt(start);
    if (first === COLON) return; // a comment (keep-alive pings such as ": OPENROUTER PROCESSING")
    if (isData(text, start)) {
      const value = text.slice(text.charCodeAt(start + 5) === SPACE ? start + 6 : start + 5, end);
      data = dataLines === 0 ? value : `${data}\n${value}`;
      dataLines++;
      return;
    }
    const colon = text.indexOf(':', start);
    if (colon === -1 || colon >= end) field(text.slice(start, end), '');
    else
      field(
        text.slice(start, colon),
        text.slice(text.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1, end),
      );
  };

  /** Processes every complete line of `text`; returns the unterminated rest. */
  const lines = (text: string): string => {
    let start = 0;
    if (text.indexOf('\r') === -1) {
      let lf = text.indexOf('\n');
      while (lf !== -1) {
        // Fast path: `data: …\n\n` with nothing pending is a whole event.
        if (dataLines === 0 && lf > start && isData(text, start) && text.charCodeAt(lf + 1) === LF) {
          const value = text.slice(text.charCodeAt(start + 5) === SPACE ? start + 6 : start + 5, lf);
          onEvent({ event: eventType, data: value, id: lastId, retry });
          eventType = undefined;
          retry = undefined;
          start = lf + 2;
        } else {
          line(text, start, lf);
          start = lf + 1;
        }
        lf = text.indexOf('\n', start);
      }
      return start === 0 ? text : text.slice(start);
    }
    const length = text.length;
    while (start < length) {
      const cr = text.indexOf('\r', start);
      const lf = text.indexOf('\n', start);
      let end: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        if (cr === length - 1) {
          // The line is complete, but its '\n' may be the next chunk's first character.
          line(text, start, cr);
          skipLeadingLF = true;
          return '';
        }
        end = cr;
      } else if (lf !== -1) end = lf;
      else break;
      line(text, start, end);
      start = end + 1;
      if (text.charCodeAt(end) === CR && text.charCodeAt(start) === LF) start++;
    }
    return text.slice(start);
  };

  const consume = (chunk: string) => {
    if (skipLeadingLF) {
      skipLeadingLF = false;
      if (chunk.charCodeAt(0) === LF) chunk = chunk.slice(1);
    }
    if (chunk.length === 0) return;
    if (pending.length > 0) {
      if (chunk.indexOf('\n') === -1 && chunk.indexOf('\r') === -1) {
        pending.push(chunk);
        return;
      }
      pending.push(chunk);
      chunk = pending.join('');
      pending.length = 0;
    }
    const rest = lines(chunk);
    if (rest.length > 0) pending.push(rest);
  };

  return {
    feed(chunk) {
      consume(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    },
    end() {
      consume(decoder.decode());
      if (pending.length > 0) {
        const rest = pending.join('');
        pending.length = 0;
        line(rest, 0, rest.length);
      }
      dispatch();
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
