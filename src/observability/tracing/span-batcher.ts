/**
 * Moves finished spans off the request path: `add` only pushes onto an array; writes happen later,
 * in batches (one `write` call per batch) every `flushMs` or as soon as `batchSize` spans wait.
 *
 * A sink that fails or hangs must not cost the gateway memory or latency, so everything is bounded:
 * at most `maxQueue` spans wait (newer ones are dropped and counted), and a failed batch is retried
 * once, on the next flush, then given up with `onError`.
 */
import type { SpanRecord } from './span-record.js';

export interface SpanBatcherOptions {
  write(spans: SpanRecord[]): Promise<void>;
  flushMs: number;
  batchSize: number;
  maxQueue: number;
  /** A batch was given up after its retry failed too. */
  onError(error: unknown, lostSpans: number): void;
  /** Spans started being dropped (queue full or closed); once per burst, with the running total. */
  onDrop(dropped: number): void;
}

export interface SpanBatcher {
  add(span: SpanRecord): void;
  /** Writes everything queued so far (and retries what failed last time). Never rejects. */
  flush(): Promise<void>;
  /** Flushes, gives failed batches their one retry, and drops whatever arrives afterwards. */
  close(): Promise<void>;
  /** Spans waiting to be written, including failed batches awaiting their retry. */
  readonly pending: number;
  /** Spans lost so far: dropped while full or closed, or given up after a failed retry. */
  readonly dropped: number;
}

export function createSpanBatcher(options: SpanBatcherOptions): SpanBatcher {
  const { flushMs, batchSize, maxQueue } = options;
  let queue: SpanRecord[] = [];
  let failed: SpanRecord[][] = [];
  let failedSpans = 0;
  let dropped = 0;
  let dropping = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let immediate = false;
  // Flushes run one after another; at most one more waits behind the running one, and it picks up
  // everything queued by the time it starts, so any number of flush() calls costs two drains.
  let tail: Promise<void> = Promise.resolve();
  let waiting: Promise<void> | undefined;

  const report = (error: unknown, lost: number) => {
    try {
      options.onError(error, lost);
    } catch {
      // A throwing callback must not break the flush chain.
    }
  };

  const attempt = async (batch: SpanRecord[], isRetry: boolean) => {
    try {
      await options.write(batch);
    } catch (error) {
      if (isRetry) {
        dropped += batch.length;
        report(error, batch.length);
      } else {
        failed.push(batch);
        failedSpans += batch.length;
      }
    }
  };

  const drain = async () => {
    waiting = undefined;
    const retries = failed;
    failed = [];
    failedSpans = 0;
    for (const batch of retries) await attempt(batch, true);
    const items = queue;
    queue = [];
    for (let i = 0; i < items.length; i += batchSize) await attempt(items.slice(i, i + batchSize), false);
    // Failed batches get their retry on the next flush even if no new span arrives to trigger one.
    if (failed.length > 0 && !closed) scheduleLater();
  };

  const flush = (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (waiting) return waiting;
    const run = tail.then(drain);
    waiting = run;
    tail = run;
    return run;
  };

  function scheduleLater() {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, flushMs);
    timer.unref();
  }

  const scheduleSoon = () => {
    if (immediate) return;
    immediate = true;
    setImmediate(() => {
      immediate = false;
      void flush();
    });
  };

  return {
    add(span) {
      if (closed || queue.length + failedSpans >= maxQueue) {
        dropped++;
        if (!dropping) {
          dropping = true;
          try {
            options.onDrop(dropped);
          } catch {
            // Dropping must stay cheap and silent for the caller on the request path.
          }
        }
        return;
      }
      dropping = false;
      queue.push(span);
      if (queue.length >= batchSize) scheduleSoon();
      else scheduleLater();
    },
    flush,
    async close() {
      if (closed) return flush();
      closed = true;
      await flush();
      if (failed.length > 0) await flush();
    },
    get pending() {
      return queue.length + failedSpans;
    },
    get dropped() {
      return dropped;
    },
  };
}
