/**
 * Server-side SSE: headers, write coalescing and backpressure. Frames produced in the same turn of
 * the event loop (one upstream packet usually carries many tokens) are joined and leave in one write
 * — one string conversion and one syscall instead of one per frame. A slow client's full socket
 * buffer pauses the producer until it drains.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { ChatEvent } from '../core/chat-event.js';
import { type ConduitError, toConduitError } from '../core/errors.js';

interface Outbox {
  text: string;
  scheduled: boolean;
  /** Set while the socket buffer is full. */
  blocked?: Promise<unknown>;
}

const outboxes = new WeakMap<ServerResponse, Outbox>();

export function startSse(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    ...headers,
  });
  // Send headers now: the client learns the request was accepted before the first token.
  res.flushHeaders();
}

function flush(res: ServerResponse, box: Outbox): void {
  box.scheduled = false;
  if (box.text.length === 0 || res.destroyed) return;
  const text = box.text;
  box.text = '';
  if (!res.write(text)) {
    box.blocked = Promise.race([once(res, 'drain'), once(res, 'close')]).finally(() => {
      box.blocked = undefined;
    });
  }
}

/** Queues a frame; it is sent with the others of this turn. Waits while the client is not reading. */
export async function writeFrame(res: ServerResponse, frame: string): Promise<void> {
  if (frame.length === 0 || res.destroyed) return;
  let box = outboxes.get(res);
  if (!box) {
    box = { text: '', scheduled: false };
    outboxes.set(res, box);
  }
  if (box.blocked) await box.blocked;
  box.text += frame;
  if (!box.scheduled) {
    box.scheduled = true;
    const queued = box;
    setImmediate(() => flush(res, queued));
  }
}

/** Sends what is queued plus a last frame, and ends the response. */
export function endSse(res: ServerResponse, frame = ''): void {
  const box = outboxes.get(res);
  const text = (box?.text ?? '') + frame;
  if (box) box.text = '';
  if (res.destroyed) return;
  res.end(text);
}

/** Turns chat events into a wire dialect's SSE frames (OpenAI chunks, Anthropic events). */
export interface EventEncoder {
  encode(event: ChatEvent): string;
  /** Frames that close a complete stream. */
  end(): string;
  /** The frame for a failure after the first byte. */
  error(error: ConduitError): string;
}

/**
 * Streams chat events to the client. After the first byte the status is sent, so a failure
 * travels as the dialect's SSE error frame and the stream ends.
 */
export async function pipeSse(
  res: ServerResponse,
  events: AsyncIterable<ChatEvent>,
  encoder: EventEncoder,
  headers: Record<string, string>,
): Promise<void> {
  startSse(res, headers);
  try {
    for await (const event of events) {
      if (event.type === 'error') {
        endSse(res, encoder.error(event.error));
        return;
      }
      await writeFrame(res, encoder.encode(event));
    }
    endSse(res, encoder.end());
  } catch (error) {
    endSse(res, encoder.error(toConduitError(error)));
  }
}
