/**
 * Provider factories for OpenAI and every OpenAI-compatible server, driven by the preset table.
 *
 * @example
 * const groq = createOpenAICompatible('groq');              // GROQ_API_KEY from the environment
 * const model = groq.languageModel('llama-3.3-70b-versatile');
 * const vllm = createOpenAICompatible('openai-compatible', { baseURL: 'http://vllm:8000/v1' });
 */
import { ConduitError } from '../../core/errors.js';
import { mapOpenAIError } from '../openai/map-openai-error.js';
import type { OpenAIModelList } from '../openai/openai-api.js';
import { OpenAIChatModel } from '../openai/openai-chat-model.js';
import type { OpenAIClientConfig, OpenAIEndpoint } from '../openai/openai-client-config.js';
import { OpenAIEmbeddingModel } from '../openai/openai-embedding-model.js';
import { requestJson } from '../shared/http-transport.js';
import { envValue, joinUrl, requireApiKey } from '../shared/resolve-settings.js';
import type { ModelInfo, Provider, ProviderSettings } from '../types.js';
import {
  OPENAI_COMPATIBLE_PRESETS,
  type OpenAICompatiblePreset,
  type OpenAICompatiblePresetId,
} from './presets.js';

export interface OpenAICompatibleSettings extends ProviderSettings {
  /** Azure: api-version query parameter. */
  apiVersion?: string;
  /** Provider id used in model ids, logs and errors (default: the preset id). */
  name?: string;
}

export function createOpenAICompatible(
  presetId: OpenAICompatiblePresetId,
  settings: OpenAICompatibleSettings = {},
): Provider {
  const preset: OpenAICompatiblePreset = OPENAI_COMPATIBLE_PRESETS[presetId];
  const env = settings.env ?? process.env;
  const provider = settings.name ?? presetId;
  const base = settings.baseURL ?? envValue(preset.baseURLEnv ?? [], env) ?? preset.baseURL;
  if (!base) {
    throw new ConduitError(
      'bad_request',
      `${preset.name} needs a base URL: set base_url in conduit.yaml (e.g. http://localhost:8000/v1)`,
      { provider, param: 'base_url' },
    );
  }
  const apiVersion =
    settings.apiVersion ??
    (preset.azure ? (envValue(preset.azure.apiVersionEnv, env) ?? preset.azure.apiVersion) : '');

  const url = (endpoint: OpenAIEndpoint, modelId?: string): string => {
    if (!preset.azure) return joinUrl(base, endpoint);
    const root = base.replace(/\/+$/, '').replace(/\/openai$/, '');
    const path =
      endpoint === 'models'
        ? 'openai/models'
        : `openai/deployments/${encodeURIComponent(modelId ?? '')}/${endpoint}`;
    return `${root}/${path}?api-version=${encodeURIComponent(apiVersion)}`;
  };

  let cachedHeaders: Record<string, string> | undefined;
  const headers = (): Record<string, string> => {
    if (cachedHeaders) return cachedHeaders;
    const key = preset.apiKeyRequired
      ? requireApiKey(provider, settings.apiKey, preset.apiKeyEnv, env)
      : (settings.apiKey ?? envValue(preset.apiKeyEnv, env));
    const auth: Record<string, string> = {};
    if (key) {
      if (preset.auth === 'api-key') auth['api-key'] = key;
      else auth.authorization = `Bearer ${key}`;
    }
    cachedHeaders = { ...preset.headers, ...auth, ...settings.headers };
    return cachedHeaders;
  };

  const config: OpenAIClientConfig = {
    provider,
    url,
    headers,
    quirks: preset,
    capabilities: { tools: true, jsonMode: true, jsonSchema: preset.jsonSchema, images: true },
    pricing: settings.pricing,
    timeout: settings.timeout,
    retry: settings.retry,
    dispatcher: settings.dispatcher,
    onRetry: settings.onRetry,
  };

  return {
    id: provider,
    languageModel: (modelId) => new OpenAIChatModel(modelId, config),
    embeddingModel: (modelId) => new OpenAIEmbeddingModel(modelId, config),
    async listModels(options = {}) {
      if (!preset.listModels) return [];
      const { json } = await requestJson<OpenAIModelList>(
        { provider, url: url('models'), method: 'GET', headers: headers() },
        mapOpenAIError(provider),
        { signal: options.signal, timeout: { totalMs: 15_000 } },
        config,
      );
      return (json.data ?? []).map((m): ModelInfo => {
        const info: ModelInfo = { id: m.id, provider };
        if (m.owned_by) info.ownedBy = m.owned_by;
        if (m.created) info.created = m.created;
        const context = m.context_length ?? m.max_model_len;
        if (context) info.contextWindow = context;
        return info;
      });
    },
  };
}

/** OpenAI itself: OPENAI_API_KEY and OPENAI_BASE_URL as the official SDK reads them. */
export function createOpenAI(settings: OpenAICompatibleSettings = {}): Provider {
  return createOpenAICompatible('openai', settings);
}
