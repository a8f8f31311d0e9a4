import type { ModelPrice } from '../../core/cost/pricing.js';
import type { ModelCapabilities } from '../../core/language-model.js';
import type { TransportDefaults } from '../shared/http-transport.js';
import type { OpenAIQuirks } from './convert-to-openai-request.js';

export type OpenAIEndpoint = 'chat/completions' | 'embeddings' | 'models';

/** Everything an OpenAI-wire model needs to reach one server. Built by a provider factory. */
export interface OpenAIClientConfig extends TransportDefaults {
  /** Provider id as it appears in model ids and errors ("openai", "groq", "vllm"). */
  provider: string;
  url(endpoint: OpenAIEndpoint, modelId?: string): string;
  /** Resolved at call time, so a missing key fails the call (clearly), not the listing of models. */
  headers(): Record<string, string>;
  quirks: OpenAIQuirks;
  capabilities: ModelCapabilities;
  pricing?: Record<string, ModelPrice>;
}
