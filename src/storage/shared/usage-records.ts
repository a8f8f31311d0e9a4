/** Validates and completes usage rows before any adapter writes them. */
import type { UsageRecord, UsageRecordInput } from '../ports/usage-log.js';
import { checkNonEmpty, checkNonNegative, checkNonNegativeInt, checkOptionalNonNegative } from './checks.js';
import { jsonClone } from './json.js';

export function toUsageRecord(input: UsageRecordInput, now: number): UsageRecord {
  return {
    requestId: checkNonEmpty(input.requestId, 'requestId'),
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
