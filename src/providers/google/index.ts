/**
 * Google Gemini provider: `createGoogle(settings)` plus the translators, for callers that speak the
 * Gemini wire format themselves (the gateway's native Gemini routes, tests).
 */
export { convertToGeminiRequest, type GeminiRequestOptions } from './convert-to-gemini-request.js';
export { convertToGeminiSchema } from './convert-to-gemini-schema.js';
export type * from './gemini-api.js';
export { GeminiEmbeddingModel } from './gemini-embedding-model.js';
export { createGeminiStreamTranslator, type GeminiStreamOptions } from './gemini-stream-translator.js';
export type { GoogleClientConfig } from './google-client-config.js';
export { GoogleLanguageModel } from './google-language-model.js';
export {
  createGoogle,
  GOOGLE_API_KEY_ENV,
  GOOGLE_BASE_URL_ENV,
  GOOGLE_DEFAULT_BASE_URL,
  type GoogleProvider,
} from './google-provider.js';
export { geminiError, mapGeminiError, retryInfoDelay } from './map-gemini-error.js';
export { mapGeminiFinishReason, mapGeminiResponse, mapGeminiUsage } from './map-gemini-response.js';
