import type { Cost, Usage } from '../../core/chat-event.js';
import { computeCost, costFor, type ModelPrice } from '../../core/cost/pricing.js';

/**
 * The USD cost of a call. A price override configured for the name the caller used wins; then the
 * built-in table, by the (often dated) name the provider answered with, then by the requested name.
 */
export function costOf(
  responseModel: string,
  usage: Usage,
  provider: string,
  overrides?: Record<string, ModelPrice>,
  requestedModel?: string,
): Cost | undefined {
  const override =
    (requestedModel !== undefined ? overrides?.[requestedModel] : undefined) ?? overrides?.[responseModel];
  if (override) return computeCost(usage, override);
  return (
    costFor(responseModel, usage, provider) ??
    (requestedModel !== undefined && requestedModel !== responseModel
      ? costFor(requestedModel, usage, provider)
      : undefined)
  );
}
