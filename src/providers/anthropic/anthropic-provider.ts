/**
 * The Anthropic provider: settings (key, base URL, headers, transport defaults) → models.
 * Any server that speaks the Messages API (a proxy, a gateway, a compatible host) works through
 * `baseURL`.
 */

import { envValue, joinUrl, requireApiKey } from '../shared/resolve-settings.js';
import type { ModelInfo, Provider, ProviderSettings } from '../types.js';
import { AnthropicLanguageModel, type AnthropicModelConfig } from './anthropic-language-model.js';
import { listAnthropicModels } from './list-anthropic-models.js';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
/** The API version this translation is written against; newer features come through anthropic-beta headers. */
export const ANTHROPIC_VERSION = '2023-06-01';

/**
 * @example
 * const anthropic = createAnthropic({ apiKey: process.env.ANTHROPIC_API_KEY });
 * const result = await anthropic.languageModel('claude-sonnet-4-5').generate({
 *   messages: [{ role: 'user', content: 'Hello' }],
 * });
 */
export function createAnthropic(settings: ProviderSettings = {}): Provider & {
  languageModel(modelId: string): AnthropicLanguageModel;
  listModels(options?: { signal?: AbortSignal }): Promise<ModelInfo[]>;
} {
  const env = settings.env ?? process.env;
  const base = apiRoot(
    settings.baseURL ?? envValue(['ANTHROPIC_BASE_URL'], env) ?? ANTHROPIC_DEFAULT_BASE_URL,
  );
  const config: AnthropicModelConfig = {
    timeout: settings.timeout,
    retry: settings.retry,
    dispatcher: settings.dispatcher,
    onRetry: settings.onRetry,
    pricing: settings.pricing,
    url: (endpoint) => joinUrl(base, `v1/${endpoint}`),
    headers: () => ({
      'x-api-key': requireApiKey('anthropic', settings.apiKey, ['ANTHROPIC_API_KEY'], env),
      'anthropic-version': ANTHROPIC_VERSION,
      // Last, so a caller can add anthropic-beta or pin another version.
      ...settings.headers,
    }),
  };
  return {
    id: 'anthropic',
    languageModel: (modelId) => new AnthropicLanguageModel(modelId, config),
    listModels: (options) => listAnthropicModels(config, options),
  };
}

// The SDKs take the host as base URL, other tools take ".../v1"; both mean the same API root.
function apiRoot(baseURL: string): string {
  return baseURL.replace(/\/+$/, '').replace(/\/v1$/, '');
}
