/**
 * What a provider module exports: a factory taking settings and returning models by id. `Provider`
 * and `ModelInfo` live in core, where the local engine shares them.
 */

import type { ModelPrice } from '../core/cost/pricing.js';
import type { TransportDefaults } from './shared/http-transport.js';

export type { ModelInfo, Provider } from '../core/provider.js';

export interface ProviderSettings extends TransportDefaults {
  apiKey?: string;
  /** Overrides the provider's default base URL (and the provider's *_BASE_URL env variable). */
  baseURL?: string;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Price overrides per model id (USD per 1M tokens), on top of the built-in table. */
  pricing?: Record<string, ModelPrice>;
  /** Environment to read keys from; defaults to process.env (tests pass their own). */
  env?: NodeJS.ProcessEnv;
}
