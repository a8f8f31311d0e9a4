/**
 * Port for the gateway's request log: one row per request, written in batches off the hot path and
 * read back for the console, `conduit` reports and spend queries (budgets themselves are reserved in
 * the `BudgetLedger`, which starts a period from this log only when it has no record of it).
 */

export interface UsageRecord {
  /** Our id of the request, unique in the log. */
  requestId: string;
  /** The `x-request-id` the client sent, if any: not unique, and never trusted as our id. */
  clientRequestId: string | null;
  /** The request's trace (32 hex characters), to open its spans from a log row. */
  traceId: string | null;
  keyId: string | null;
  /** The model name the client asked for. */
  alias: string;
  deployment: string | null;
  provider: string | null;
  /** HTTP status returned to the client. */
  status: number;
  errorCode: string | null;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  costUsd: number;
  latencyMs: number;
  ttftMs: number | null;
  cacheHit: boolean;
  retries: number;
  /** Milliseconds since the epoch. */
  createdAt: number;
  metadata: Record<string, unknown>;
}

/** Only the identifying fields are required; counters default to 0, optional ids to null. */
export type UsageRecordInput = Pick<UsageRecord, 'requestId' | 'alias' | 'status'> &
  Partial<Omit<UsageRecord, 'requestId' | 'alias' | 'status'>>;

/**
 * A status filter: an exact HTTP status, a class of them, or `'error'` — a status >= 400 or an
 * `errorCode` (a stream that failed after its 200 headers went out).
 */
export type UsageStatusFilter = number | UsageStatusClass;

export const USAGE_STATUS_CLASSES = ['2xx', '4xx', '5xx', 'error'] as const;
export type UsageStatusClass = (typeof USAGE_STATUS_CLASSES)[number];

export interface UsageQuery {
  /** Inclusive lower bound on `createdAt`. */
  since?: number;
  /** Exclusive upper bound on `createdAt`. */
  until?: number;
  keyId?: string;
  /** The model name the client asked for (what the CLI and admin API call `model`). */
  alias?: string;
  status?: UsageStatusFilter;
  /** Default 100, at most 1000. */
  limit?: number;
  /** `nextCursor` from the previous page. */
  cursor?: string;
}

export interface UsagePage {
  /** Newest first. */
  rows: UsageRecord[];
  nextCursor: string | null;
}

export type UsageGroupBy = 'alias' | 'deployment' | 'keyId' | 'provider';

export interface UsageSummaryQuery {
  since?: number;
  until?: number;
  keyId?: string;
  alias?: string;
  status?: UsageStatusFilter;
  /** Without it the summary is one row for the whole window (group `null`). */
  groupBy?: UsageGroupBy;
}

export interface UsageSummaryRow {
  group: string | null;
  requests: number;
  /** Failed requests: status >= 400 or an `errorCode` (what the `'error'` status filter keeps). */
  errors: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  costUsd: number;
  cacheHits: number;
  /** Nearest-rank percentiles of `latencyMs`. */
  latencyP50Ms: number;
  latencyP95Ms: number;
}

export interface UsageLog {
  /** All rows or none: a duplicate `requestId` or an invalid value rejects the whole batch. */
  appendBatch(rows: UsageRecordInput[]): Promise<void>;
  query(query?: UsageQuery): Promise<UsagePage>;
  /** Total `costUsd` of a key in a time range. */
  spend(query: { keyId: string; since?: number; until?: number }): Promise<number>;
  /** Ordered by cost, then request count, descending. */
  summarize(query?: UsageSummaryQuery): Promise<UsageSummaryRow[]>;
  /** Retention: deletes rows created before `time`; returns how many. */
  deleteBefore(time: number): Promise<number>;
  /**
   * Keeps rows the log refused (with the store's error) in a separate table, so one bad row never
   * blocks the log; rows are stored as given (any shape that JSON can hold).
   */
  deadLetter(rows: UsageRecordInput[], error: string): Promise<void>;
  /** Dead-lettered rows, newest first (default 100, at most 1000). */
  deadLetters(query?: { limit?: number }): Promise<UsageDeadLetter[]>;
}

export interface UsageDeadLetter {
  /** The row as it was refused (JSON-decoded: non-finite numbers come back as null). */
  row: Record<string, unknown>;
  error: string;
  /** Milliseconds since the epoch, when it was dead-lettered. */
  createdAt: number;
}
