/**
 * The `pricing:` section of conduit.yaml: model id → USD per 1M tokens, snake_case as YAML is written.
 *
 * @example
 * // conduit.yaml
 * // pricing:
 * //   gpt-4o-mini: { input: 0.15, output: 0.6, cached_input: 0.075 }
 * //   groq/llama-3.3-70b-versatile: { input: 0.59, output: 0.79 }
 * registerPrices(pricesFromConfig(pricingConfigSchema.parse(config.pricing)));
 */
import { z } from 'zod';
import type { ModelPrice } from './pricing.js';

const usdPerMillion = z.number().finite().nonnegative();

export const modelPriceConfigSchema = z.strictObject({
  input: usdPerMillion,
  output: usdPerMillion,
  cached_input: usdPerMillion.optional(),
  cache_write: usdPerMillion.optional(),
});

export const pricingConfigSchema = z.record(z.string().min(1), modelPriceConfigSchema);

export type PricingConfig = z.infer<typeof pricingConfigSchema>;

/** Converts the validated YAML shape to the table shape `registerPrices` takes. */
export function pricesFromConfig(config: PricingConfig): Record<string, ModelPrice> {
  const prices: Record<string, ModelPrice> = {};
  for (const [model, p] of Object.entries(config)) {
    prices[model] = {
      input: p.input,
      output: p.output,
      ...(p.cached_input === undefined ? {} : { cachedInput: p.cached_input }),
      ...(p.cache_write === undefined ? {} : { cacheWrite: p.cache_write }),
    };
  }
  return prices;
}
