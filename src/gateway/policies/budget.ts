/**
 * A virtual key's spend budget per period: each call reserves its worst-case cost on admission and
 * settles its actual cost when it ends — what is known of it: nothing for a call that failed before
 * its usage arrived, 0 for a cache hit — through the BudgetGuard, so concurrent calls cannot
 * overspend by more than the documented bound.
 */
import type { ChatRequest } from '../../core/chat-request.js';
import { maxOutputTokens } from '../../core/chat-request.js';
import { lookupPrice } from '../../core/cost/pricing.js';
import type { LanguageModel } from '../../core/language-model.js';
import type { BudgetGuard } from '../budget-guard.js';
import { interceptCalls, type ModelPolicy } from './model-policy.js';

export interface BudgetOptions {
  guard: BudgetGuard;
  /** Worst-case USD of a request before it runs; default `estimateCost` on the model's first deployment. */
  estimate?: (model: LanguageModel, request: ChatRequest) => number;
}

/** Where the price comes from: the router's first deployment, or the model itself. */
interface Priced {
  deployments?: readonly { provider: string; model: string }[];
}

/** Worst-case cost of a request before routing: prompt (≈4 characters a token) plus max_tokens of output. */
export function estimateCost(model: LanguageModel, request: ChatRequest): number {
  const first = (model as LanguageModel & Priced).deployments?.[0];
  const price = first ? lookupPrice(first.model, first.provider) : lookupPrice(model.modelId, model.provider);
  if (!price) return 0;
  const promptTokens = JSON.stringify(request.messages).length / 4;
  return (promptTokens * price.input + (maxOutputTokens(request) ?? 0) * price.output) / 1e6;
}

export function budget(options: BudgetOptions): ModelPolicy {
  const estimate = options.estimate ?? estimateCost;
  return (model) =>
    interceptCalls(model, (request, call) => {
      const principal = call.principal;
      if (principal?.kind !== 'virtual' || principal.key.budgetUsd === null) return undefined;
      return options.guard.admit(principal.key, estimate(model, request)).then((settleSpend) => ({
        // A stream cut off after its usage arrived still cost what it cost.
        settle: ({ cost }) => settleSpend(cost?.total ?? 0),
      }));
    });
}
