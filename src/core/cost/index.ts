export { BUILTIN_PRICES } from './builtin-prices.js';
export {
  createModelTable,
  type ModelTable,
  matchModelKey,
  type NormalizedModelId,
  normalizeModelId,
  stripVersionSuffix,
} from './model-match.js';
export {
  computeCost,
  costFor,
  lookupPrice,
  type ModelPrice,
  registerPrices,
  resetPrices,
} from './pricing.js';
export {
  modelPriceConfigSchema,
  type PricingConfig,
  pricesFromConfig,
  pricingConfigSchema,
} from './pricing-config.js';
