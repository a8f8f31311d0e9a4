/**
 * Server-side SSE: headers, writes that respect backpressure, and a client-gone signal.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';

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

/** Writes a frame; waits for the socket to drain when its buffer is full (slow client). */
export async function writeFrame(res: ServerResponse, frame: string): Promise<void> {
  if (frame.length === 0 || res.destroyed) return;
  if (!res.write(frame)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
}
