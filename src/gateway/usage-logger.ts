/**
 * Writes the usage log off the request path: rows are queued in memory and appended in batches
 * (one transaction each) every `flushMs` or `batchSize` rows. `close()` flushes what is queued, so a
 * clean shutdown loses nothing; a `kill -9` loses at most the rows of the last `flushMs` window.
 *
 * One bad row never stops the log: rows are normalised before they are queued; a batch the store
 * refuses is retried row by row and the rows it still refuses go to the dead-letter table with the
 * error. Only transient store errors (busy, connection lost) put a batch back, retried with
 * exponential backoff. The queue is bounded: past `maxQueue` rows new ones are dropped and counted.
 */
import { randomUUID } from 'node:crypto';
import { ConduitError } from '../core/errors.js';
import type { UsageLog, UsageRecordInput } from '../storage/ports/usage-log.js';

export interface UsageLogger {
  log(row: UsageRecordInput): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Rows queued and not yet written. */
  readonly pending: number;
  /** Rows dropped because the queue was full, since the logger started. */
  readonly dropped: number;
  /** Rows the store refused and that went to the dead-letter table, since the logger started. */
  readonly deadLettered: number;
}

export interface UsageLoggerOptions {
  flushMs?: number;
  batchSize?: number;
  /** Most rows held in memory (default 100 × batchSize); past it new rows are dropped. */
  maxQueue?: number;
  /** First delay after a transient store error (default 500 ms), doubled per failure. */
  retryBaseMs?: number;
  /** Longest delay between retries (default 30 s). */
  retryMaxMs?: number;
  /**
   * Called when rows cannot be written: a transient error (the rows are kept and retried), rows
   * dead-lettered, or rows lost because the dead-letter table failed too.
   */
  onError?: (error: unknown, rows: number) => void;
  /** Called once per burst of drops (queue full): the first dropped row of the burst. */
  onDrop?: (info: { maxQueue: number; droppedTotal: number }) => void;
  /** Called with each batch once it is durably written. */
  onFlushed?: (rows: UsageRecordInput[]) => void;
}

/** Longest string kept in a row's text fields. */
export const USAGE_TEXT_LIMIT = 256;
/** What a row's model is when the request named none (the store refuses an empty alias). */
export const NO_MODEL = '(none)';

const TRANSIENT_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P03', // cannot_connect_now
  '08000', // connection_exception
  '08003', // connection_does_not_exist
  '08006', // connection_failure
  '53300', // too_many_connections
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

/** True for store errors worth retrying as they are: busy, locked, connection trouble. */
export function isTransientStoreError(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (TRANSIENT_CODES.has(code) || code.startsWith('SQLITE_BUSY')))
      return true;
    if (ConduitError.isInstance(e) && e.retryable && e.code !== 'conflict' && e.code !== 'bad_request')
      return true;
  }
  return false;
}

function text(value: unknown, limit = USAGE_TEXT_LIMIT): string | null {
  if (value === null || value === undefined) return null;
  const s = typeof value === 'string' ? value : String(value);
  return s.length > limit ? s.slice(0, limit) : s;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

function amount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/** A row the store accepts whatever the caller put in: safe model name, finite numbers, bounded text. */
export function normaliseUsageRow(row: UsageRecordInput): UsageRecordInput {
  const alias = text(row.alias);
  const requestId = text(row.requestId, 128);
  const ttft = row.ttftMs;
  const metadata = row.metadata;
  return {
    requestId: requestId ? requestId : randomUUID(),
    clientRequestId: text(row.clientRequestId),
    traceId: text(row.traceId, 64),
    keyId: text(row.keyId),
    alias: alias?.trim() ? alias : NO_MODEL,
    deployment: text(row.deployment),
    provider: text(row.provider),
    status: count(row.status),
    errorCode: text(row.errorCode),
    promptTokens: count(row.promptTokens),
    completionTokens: count(row.completionTokens),
    cachedTokens: count(row.cachedTokens),
    costUsd: amount(row.costUsd),
    latencyMs: amount(row.latencyMs),
    ttftMs: typeof ttft === 'number' && Number.isFinite(ttft) && ttft >= 0 ? ttft : null,
    cacheHit: row.cacheHit === true,
    retries: count(row.retries),
    createdAt:
      typeof row.createdAt === 'number' && Number.isFinite(row.createdAt) && row.createdAt >= 0
        ? row.createdAt
        : Date.now(),
    metadata: metadata && typeof metadata === 'object' && !Array.isArray(metadata) ? metadata : {},
  };
}

function message(error: unknown): string {
  const m = error instanceof Error ? error.message : String(error);
  return m.length > 1000 ? m.slice(0, 1000) : m;
}

export function createUsageLogger(log: UsageLog, options: UsageLoggerOptions = {}): UsageLogger {
  const flushMs = options.flushMs ?? 250;
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const maxQueue = Math.max(batchSize, options.maxQueue ?? batchSize * 100);
  const retryBaseMs = options.retryBaseMs ?? 500;
  const retryMaxMs = options.retryMaxMs ?? 30_000;
  let queue: UsageRecordInput[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let closed = false;
  /** Consecutive transient failures; while > 0 the next write waits for its backoff timer. */
  let failures = 0;
  let dropped = 0;
  let deadLettered = 0;
  let dropping = false;

  const schedule = (delayMs: number) => {
    if (timer) return;
    timer = setTimeout(() => void flush(), delayMs);
    timer.unref();
  };

  const transientFailure = (rows: UsageRecordInput[], error: unknown) => {
    // Older rows go back to the head; past the bound the newest are dropped.
    queue = [...rows, ...queue];
    if (queue.length > maxQueue) drop(queue.length - maxQueue, () => queue.splice(maxQueue));
    failures++;
    options.onError?.(error, rows.length);
    if (!closed) schedule(Math.min(retryMaxMs, retryBaseMs * 2 ** (failures - 1)));
  };

  const drop = (n: number, remove: () => void) => {
    remove();
    dropped += n;
    if (!dropping) {
      dropping = true;
      options.onDrop?.({ maxQueue, droppedTotal: dropped });
    }
  };

  const deadLetter = async (rows: UsageRecordInput[], error: unknown) => {
    deadLettered += rows.length;
    try {
      await log.deadLetter(rows, message(error));
      options.onError?.(error, rows.length);
    } catch (deadError) {
      // Nowhere left to keep them: report and move on rather than block the log.
      options.onError?.(deadError, rows.length);
    }
  };

  /** Writes rows one at a time after their batch was refused; false if the store became unavailable. */
  const writeOneByOne = async (rows: UsageRecordInput[]): Promise<boolean> => {
    const written: UsageRecordInput[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      try {
        await log.appendBatch([row]);
        written.push(row);
      } catch (error) {
        if (isTransientStoreError(error)) {
          if (written.length) options.onFlushed?.(written);
          transientFailure(rows.slice(i), error);
          return false;
        }
        await deadLetter([row], error);
      }
    }
    if (written.length) options.onFlushed?.(written);
    return true;
  };

  const write = async () => {
    if (queue.length === 0) return;
    const rows = queue.splice(0, batchSize);
    try {
      await log.appendBatch(rows);
      options.onFlushed?.(rows);
    } catch (error) {
      if (isTransientStoreError(error)) return transientFailure(rows, error);
      if (!(await writeOneByOne(rows))) return;
    }
    failures = 0;
    if (queue.length < maxQueue) dropping = false;
    if (queue.length >= batchSize) return write();
    if (queue.length > 0 && !closed) schedule(flushMs);
  };

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    writing = writing.then(write).catch((error) => options.onError?.(error, 0));
    return writing;
  };

  return {
    log(input) {
      if (queue.length >= maxQueue) {
        drop(1, () => undefined);
        return;
      }
      queue.push(normaliseUsageRow(input));
      if (closed) return;
      // While the store is failing, wait for the backoff timer instead of hammering it.
      if (failures > 0) return;
      if (queue.length >= batchSize) void flush();
      else schedule(flushMs);
    },
    flush,
    async close() {
      closed = true;
      await flush();
    },
    get pending() {
      return queue.length;
    },
    get dropped() {
      return dropped;
    },
    get deadLettered() {
      return deadLettered;
    },
  };
}
