/**
 * Anthropic Messages API provider: the factory and model, plus the pure translation functions, which
 * other modules (an Anthropic-compatible preset, tests, tools) can use on their own.
 */
export type {
  AnthropicMessage,
  AnthropicRequestBody,
  AnthropicStreamEvent,
  AnthropicUsage,
} from './anthropic-api.js';
export {
  ANTHROPIC_CAPABILITIES,
  AnthropicLanguageModel,
  type AnthropicModelConfig,
} from './anthropic-language-model.js';
export { ANTHROPIC_DEFAULT_BASE_URL, ANTHROPIC_VERSION, createAnthropic } from './anthropic-provider.js';
export {
  type AnthropicStreamTranslatorOptions,
  createAnthropicStreamTranslator,
} from './anthropic-stream-translator.js';
export { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';
export {
  type AnthropicRequestConversion,
  convertToAnthropicRequest,
  type JsonToolEmulation,
} from './convert-to-anthropic-request.js';
export { defaultMaxTokens } from './default-max-tokens.js';
export { anthropicErrorCode, anthropicStreamError, mapAnthropicError } from './map-anthropic-error.js';
export { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';
export { mapAnthropicResponse } from './map-anthropic-response.js';
export { mapAnthropicUsage } from './map-anthropic-usage.js';
