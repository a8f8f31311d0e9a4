/** Validates and completes usage rows before any adapter writes them. */
import {
  USAGE_STATUS_CLASSES,
  type UsageRecord,
  type UsageRecordInput,
  type UsageStatusClass,
  type UsageStatusFilter,
} from '../ports/usage-log.js';
import {
  badRequest,
  checkNonEmpty,
  checkNonNegative,
  checkNonNegativeInt,
  checkOptionalNonNegative,
} from './checks.js';
import { jsonClone } from './json.js';

export function toUsageRecord(input: UsageRecordInput, now: number): UsageRecord {
  return {
    requestId: checkNonEmpty(input.requestId, 'requestId'),
    clientRequestId: input.clientRequestId ?? null,
    traceId: input.traceId ?? null,
    keyId: input.keyId ?? null,
    alias: checkNonEmpty(input.alias, 'alias'),
    deployment: input.deployment ?? null,
    provider: input.provider ?? null,
    status: checkNonNegativeInt(input.status, 'status'),
    errorCode: input.errorCode ?? null,
    promptTokens: checkNonNegativeInt(input.promptTokens ?? 0, 'promptTokens'),
    completionTokens: checkNonNegativeInt(input.completionTokens ?? 0, 'completionTokens'),
    cachedTokens: checkNonNegativeInt(input.cachedTokens ?? 0, 'cachedTokens'),
    costUsd: checkNonNegative(input.costUsd ?? 0, 'costUsd'),
    latencyMs: checkNonNegative(input.latencyMs ?? 0, 'latencyMs'),
    ttftMs: checkOptionalNonNegative(input.ttftMs, 'ttftMs'),
    cacheHit: input.cacheHit ?? false,
    retries: checkNonNegativeInt(input.retries ?? 0, 'retries'),
    createdAt: checkNonNegative(input.createdAt ?? now, 'createdAt'),
    metadata: jsonClone(input.metadata ?? {}, 'metadata'),
  };
}

/** The rows a status filter keeps: codes in [min, max), or failed requests. */
export type StatusMatch = { min: number; max: number } | 'error';

const CLASS_RANGES = {
  '2xx': { min: 200, max: 300 },
  '4xx': { min: 400, max: 500 },
  '5xx': { min: 500, max: 600 },
  error: 'error',
} as const satisfies Record<UsageStatusClass, StatusMatch>;

/** Checks a status filter and says which rows it keeps; every adapter filters through this. */
export function statusMatch(filter: UsageStatusFilter): StatusMatch {
  if (typeof filter === 'number') {
    checkNonNegativeInt(filter, 'status');
    return { min: filter, max: filter + 1 };
  }
  const match = (CLASS_RANGES as Record<string, StatusMatch>)[filter];
  if (!match)
    throw badRequest(`status must be an HTTP status or one of ${USAGE_STATUS_CLASSES.join(', ')}`, 'status');
  return match;
}

export function matchesStatus(
  record: Pick<UsageRecord, 'status' | 'errorCode'>,
  match: StatusMatch,
): boolean {
  if (match === 'error') return record.status >= 400 || record.errorCode !== null;
  return record.status >= match.min && record.status < match.max;
}

/** Reads a status filter as people type it ("404", "4xx", "error"); undefined when it is neither. */
export function parseUsageStatus(text: string): UsageStatusFilter | undefined {
  if (/^[1-5]\d{2}$/.test(text)) return Number(text);
  return (USAGE_STATUS_CLASSES as readonly string[]).includes(text) ? (text as UsageStatusClass) : undefined;
}

/** Nearest-rank percentile of ascending values (the value at rank ceil(p/100 * n)). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? 0;
}

/** Most expensive first, then busiest, then by name with the null group last. */
export function compareSummaryRows(
  a: { group: string | null; costUsd: number; requests: number },
  b: { group: string | null; costUsd: number; requests: number },
): number {
  if (a.costUsd !== b.costUsd) return b.costUsd - a.costUsd;
  if (a.requests !== b.requests) return b.requests - a.requests;
  if (a.group === b.group) return 0;
  if (a.group === null) return 1;
  if (b.group === null) return -1;
  return a.group < b.group ? -1 : 1;
}

/** A refused row as JSON text: whatever it holds (cycles, BigInts) the dead-letter table can keep it. */
export function deadLetterJson(row: unknown): string {
  try {
    return JSON.stringify(row, (_key, value) => (typeof value === 'bigint' ? String(value) : value)) ?? '{}';
  } catch (error) {
    return JSON.stringify({ unserializable: String((error as Error)?.message ?? error) });
  }
}

/** Parses a stored dead letter back; never throws. */
export function parseDeadLetter(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : { value };
  } catch {
    return { text };
  }
}
