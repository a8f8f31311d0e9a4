/**
 * Retry for streams: an attempt that fails before it yields its first event is retried (or thrown,
 * so a router can fall back); once an event has reached the caller, a failure becomes one `error`
 * event and the stream ends — it never hangs and never replays text the caller already has.
 */
import type { ChatEvent } from './chat-event.js';
import { toConduitError } from './errors.js';
import { type RetryOptions, retryDelay, sleep } from './retry.js';

export async function* reliableStream(
  attempt: (n: number) => AsyncIterable<ChatEvent>,
  options: RetryOptions,
): AsyncGenerator<ChatEvent> {
  const now = options.now ?? Date.now;
  const started = now();
  for (let n = 1; ; n++) {
    let yielded = false;
    try {
      for await (const event of attempt(n)) {
        yielded = true;
        yield event;
      }
      return;
    } catch (thrown) {
      const error = toConduitError(thrown, options.provider);
      if (yielded) {
        yield { type: 'error', error };
        return;
      }
      const delayMs = retryDelay(error, n, started, options, now);
      if (delayMs === undefined) throw error;
      options.onRetry?.({ attempt: n, error, delayMs });
      await sleep(delayMs, options.signal);
    }
  }
}
