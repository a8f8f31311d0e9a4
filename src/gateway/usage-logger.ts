/**
 * Writes the usage log off the request path: rows are queued in memory and appended in batches
 * (one transaction each) every `flushMs` or `batchSize` rows. `close()` flushes what is queued, so a
 * clean shutdown loses nothing; a `kill -9` loses at most the rows of the last `flushMs` window.
 */
import type { UsageLog, UsageRecordInput } from '../storage/ports/usage-log.js';

export interface UsageLogger {
  log(row: UsageRecordInput): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Rows queued and not yet written. */
  readonly pending: number;
}

export interface UsageLoggerOptions {
  flushMs?: number;
  batchSize?: number;
  /** Called when a batch cannot be written (it is retried on the next flush). */
  onError?: (error: unknown, rows: number) => void;
  /** Called with each batch once it is durably written. */
  onFlushed?: (rows: UsageRecordInput[]) => void;
}

export function createUsageLogger(log: UsageLog, options: UsageLoggerOptions = {}): UsageLogger {
  const flushMs = options.flushMs ?? 250;
  const batchSize = options.batchSize ?? 500;
  let queue: UsageRecordInput[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let closed = false;

  const write = async () => {
    if (queue.length === 0) return;
    const rows = queue;
    queue = [];
    try {
      await log.appendBatch(rows);
      options.onFlushed?.(rows);
    } catch (error) {
      // Keep the rows for the next attempt rather than losing them; bounded so a dead store
      // cannot eat the process's memory.
      if (queue.length + rows.length <= batchSize * 100) queue = [...rows, ...queue];
      options.onError?.(error, rows.length);
    }
  };
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    writing = writing.then(write);
    return writing;
  };

  return {
    log(row) {
      queue.push(row);
      if (closed) return;
      if (queue.length >= batchSize) void flush();
      else if (!timer) {
        timer = setTimeout(() => void flush(), flushMs);
        timer.unref();
      }
    },
    flush,
    async close() {
      closed = true;
      await flush();
    },
    get pending() {
      return queue.length;
    },
  };
}
