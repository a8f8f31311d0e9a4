/**
 * Sums usage and cost over the several model calls one generate function can make (tool-loop steps,
 * a repair round). Cost is only meaningful when every call had a price: one unknown makes it unknown,
 * rather than reporting a total that silently undercounts.
 */
import type { Cost, Usage } from '../chat-event.js';
import { emptyUsage } from '../chat-event.js';

const OPTIONAL_KEYS = ['cachedTokens', 'cacheWriteTokens', 'reasoningTokens'] as const;

export function addUsage(a: Usage, b: Usage): Usage {
  const sum: Usage = {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
  for (const key of OPTIONAL_KEYS) {
    if (a[key] !== undefined || b[key] !== undefined) sum[key] = (a[key] ?? 0) + (b[key] ?? 0);
  }
  return sum;
}

export interface UsageTotals {
  add(usage: Usage, cost: Cost | undefined): void;
  readonly usage: Usage;
  /** Undefined if any call lacked a price. */
  readonly cost: Cost | undefined;
}

export function createUsageTotals(): UsageTotals {
  let usage = emptyUsage();
  let cost: Cost | undefined = { input: 0, cachedInput: 0, output: 0, total: 0 };
  let calls = 0;
  return {
    add(next, nextCost) {
      calls++;
      usage = addUsage(usage, next);
      cost =
        cost && nextCost
          ? {
              input: cost.input + nextCost.input,
              cachedInput: cost.cachedInput + nextCost.cachedInput,
              output: cost.output + nextCost.output,
              total: cost.total + nextCost.total,
            }
          : undefined;
    },
    get usage() {
      return usage;
    },
    get cost() {
      return calls > 0 ? cost : undefined;
    },
  };
}
