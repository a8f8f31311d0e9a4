/**
 * A virtual key's spend budget per period: each call reserves its worst-case cost on admission and
 * settles its actual cost when it ends — what is known of it: nothing for a call that failed before
 * its usage arrived, 0 for a cache hit — through the BudgetGuard, so concurrent calls on every
 * gateway process cannot overspend by more than the documented bound.
 */
import type { ChatRequest } from '../../core/chat-request.js';
import { lookupPrice, type ModelPrice } from '../../core/cost/pricing.js';
import type { LanguageModel } from '../../core/language-model.js';
import type { BudgetGuard } from '../budget-guard.js';
import { estimateRequest } from './estimate-request.js';
import { interceptCalls, type ModelPolicy } from './model-policy.js';

export interface BudgetOptions {
  guard: BudgetGuard;
  /** Worst-case USD of a request before it runs; default `estimateCost`. */
  estimate?: (model: LanguageModel, request: ChatRequest) => number;
}

/** A router's deployment as far as pricing goes (`id` is `<alias>/<index>`). */
export interface PricedDeployment {
  id?: string;
  provider: string;
  model: string;
}

/** Where the price comes from: the router's deployments, or the model itself. */
interface Priced {
  deployments?: readonly PricedDeployment[];
}

const tablePrice = (d: PricedDeployment) => lookupPrice(d.model, d.provider);

/**
 * Worst-case cost of a request before routing: its estimated prompt and output (`estimateRequest`:
 * `max_tokens`, or the default reservation) at the price of the router's most expensive deployment,
 * since a fallback may land there. `priceOf` resolves a deployment's price (default: the price
 * table); an unpriced model costs 0.
 */
export function estimateCost(
  model: LanguageModel,
  request: ChatRequest,
  priceOf: (deployment: PricedDeployment) => ModelPrice | undefined = tablePrice,
): number {
  const deployments = (model as LanguageModel & Priced).deployments;
  const prices =
    deployments && deployments.length > 0
      ? deployments.map(priceOf)
      : [priceOf({ provider: model.provider, model: model.modelId })];
  const { promptTokens, outputTokens } = estimateRequest(request);
  let worst = 0;
  for (const price of prices) {
    if (price) worst = Math.max(worst, (promptTokens * price.input + outputTokens * price.output) / 1e6);
  }
  return worst;
}

/** The `models:` section of conduit.yaml as far as prices go (USD per 1M tokens). */
export type ConfiguredPrices = Record<
  string,
  { deployments: readonly { pricing?: { input: number; output: number } }[] }
>;

/**
 * `estimateCost` that prices a deployment with its own `pricing:` from conduit.yaml when it has one
 * (the price table holds only the top-level `pricing:`), else from the price table — so a budget
 * reserves something for a model priced only at its deployment.
 */
export function estimateWithConfiguredPrices(
  models: ConfiguredPrices,
): (model: LanguageModel, request: ChatRequest) => number {
  const prices = new Map<string, ModelPrice>();
  for (const [alias, entry] of Object.entries(models)) {
    entry.deployments.forEach(({ pricing }, index) => {
      if (pricing) prices.set(`${alias}/${index}`, { input: pricing.input, output: pricing.output });
    });
  }
  return (model, request) =>
    estimateCost(model, request, (d) => (d.id ? prices.get(d.id) : undefined) ?? tablePrice(d));
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
