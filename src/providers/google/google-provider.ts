/**
 * The Google Gemini provider (Generative Language API, v1beta): chat models, embedding models and
 * the model list, authenticated with an API key from AI Studio.
 */
import type { EmbeddingModel, LanguageModel } from '../../core/language-model.js';
import { requestJson } from '../shared/http-transport.js';
import { envValue, joinUrl, requireApiKey } from '../shared/resolve-settings.js';
import type { ModelInfo, Provider, ProviderSettings } from '../types.js';
import type { GeminiListModelsResponse } from './gemini-api.js';
import { GeminiEmbeddingModel } from './gemini-embedding-model.js';
import type { GoogleClientConfig } from './google-client-config.js';
import { GoogleLanguageModel } from './google-language-model.js';
import { mapGeminiError } from './map-gemini-error.js';

export const GOOGLE_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';
export const GOOGLE_API_KEY_ENV = ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] as const;
export const GOOGLE_BASE_URL_ENV = ['GOOGLE_GEMINI_BASE_URL'] as const;

export interface GoogleProvider extends Provider {
  languageModel(modelId: string): LanguageModel;
  embeddingModel(modelId: string): EmbeddingModel;
  listModels(options?: { signal?: AbortSignal }): Promise<ModelInfo[]>;
}

/**
 * @example
 * const google = createGoogle({ apiKey: process.env.GEMINI_API_KEY });
 * const result = await google.languageModel('gemini-2.5-flash').generate({ messages: [{ role: 'user', content: 'Hi' }] });
 */
export function createGoogle(settings: ProviderSettings = {}): GoogleProvider {
  const env = settings.env ?? process.env;
  const base = settings.baseURL ?? envValue(GOOGLE_BASE_URL_ENV, env) ?? GOOGLE_DEFAULT_BASE_URL;
  const config: GoogleClientConfig = {
    timeout: settings.timeout,
    retry: settings.retry,
    dispatcher: settings.dispatcher,
    onRetry: settings.onRetry,
    pricing: settings.pricing,
    // A base URL copied from Google's docs often already ends in the version.
    apiRoot: /\/v1(?:alpha|beta)?\/?$/.test(base) ? base.replace(/\/+$/, '') : joinUrl(base, 'v1beta'),
    headers: () => ({
      'x-goog-api-key': requireApiKey('google', settings.apiKey, GOOGLE_API_KEY_ENV, env),
      ...settings.headers,
    }),
  };

  return {
    id: 'google',
    languageModel: (modelId) => new GoogleLanguageModel(modelId, config),
    embeddingModel: (modelId) => new GeminiEmbeddingModel(modelId, config),
    async listModels(options = {}) {
      const models: ModelInfo[] = [];
      const seen = new Set<string>();
      let pageToken: string | undefined;
      do {
        const query = `pageSize=1000${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`;
        const { json } = await requestJson<GeminiListModelsResponse>(
          {
            provider: 'google',
            url: `${joinUrl(config.apiRoot, 'models')}?${query}`,
            headers: config.headers(),
          },
          mapGeminiError,
          { signal: options.signal },
          config,
        );
        for (const model of json.models ?? []) {
          const info: ModelInfo = {
            id: model.name.replace(/^models\//, ''),
            provider: 'google',
            ownedBy: 'google',
          };
          if (model.inputTokenLimit) info.contextWindow = model.inputTokenLimit;
          models.push(info);
        }
        if (pageToken) seen.add(pageToken);
        pageToken = json.nextPageToken || undefined;
        // A server that repeats a token would page forever.
      } while (pageToken && !seen.has(pageToken));
      return models;
    },
  };
}
