/**
 * `conduit-llm/providers`: provider factories (OpenAI, Anthropic, Google Gemini and the OpenAI-compatible
 * presets), the typed registry, and the shared HTTP transport for writing new ones.
 */
export { createAnthropic } from './anthropic/index.js';
export { createGoogle } from './google/index.js';
export { OpenAIChatModel } from './openai/openai-chat-model.js';
export { OpenAIEmbeddingModel } from './openai/openai-embedding-model.js';
export {
  createOpenAI,
  createOpenAICompatible,
  type OpenAICompatibleSettings,
} from './openai-compatible/create-openai-compatible.js';
export {
  isOpenAICompatiblePreset,
  OPENAI_COMPATIBLE_PRESETS,
  type OpenAICompatiblePreset,
  type OpenAICompatiblePresetId,
} from './openai-compatible/presets.js';
export {
  PROVIDER_FACTORIES,
  PROVIDER_KEY_ENV,
  type ProviderFactory,
  type ProviderId,
  providerIds,
  resolveProviderId,
} from './registry.js';
export {
  DEFAULT_TIMEOUTS,
  type ErrorMapper,
  type HttpCall,
  requestJson,
  type StreamTranslator,
  streamEvents,
  type TransportDefaults,
} from './shared/http-transport.js';
export type { ModelInfo, Provider, ProviderSettings } from './types.js';
