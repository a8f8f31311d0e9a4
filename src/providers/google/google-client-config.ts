/**
 * What every Gemini model of one provider instance shares: where the API is, how to authenticate,
 * price overrides and transport defaults. Built once by `createGoogle`.
 */
import type { ModelPrice } from '../../core/cost/pricing.js';
import type { TransportDefaults } from '../shared/http-transport.js';
import { joinUrl } from '../shared/resolve-settings.js';

export type GeminiMethod = 'generateContent' | 'streamGenerateContent' | 'batchEmbedContents';

export interface GoogleClientConfig extends TransportDefaults {
  /** API root including the version, e.g. "https://generativelanguage.googleapis.com/v1beta". */
  apiRoot: string;
  /** Resolved at call time, so a missing key fails the call (clearly), not the creation of models. */
  headers(): Record<string, string>;
  pricing?: Record<string, ModelPrice>;
}

/** "gemini-2.5-flash" → "models/gemini-2.5-flash"; "tunedModels/x" and "models/x" stay as they are. */
export function geminiResourceName(modelId: string): string {
  return modelId.includes('/') ? modelId : `models/${modelId}`;
}

/**
 * @example
 * geminiMethodUrl(config, 'gemini-2.5-flash', 'streamGenerateContent')
 * // → ".../v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
 */
export function geminiMethodUrl(config: GoogleClientConfig, modelId: string, method: GeminiMethod): string {
  const url = `${joinUrl(config.apiRoot, geminiResourceName(modelId))}:${method}`;
  // Without alt=sse the streaming endpoint answers one JSON array, which cannot be read incrementally.
  return method === 'streamGenerateContent' ? `${url}?alt=sse` : url;
}
