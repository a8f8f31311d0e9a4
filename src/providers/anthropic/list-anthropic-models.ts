/**
 * GET /v1/models, every page. Anthropic pages with cursors (`has_more`, `last_id` → `after_id`).
 */

import { requestJson } from '../shared/http-transport.js';
import type { ModelInfo } from '../types.js';
import type { AnthropicModelList } from './anthropic-api.js';
import type { AnthropicModelConfig } from './anthropic-language-model.js';
import { mapAnthropicError } from './map-anthropic-error.js';

/** A guard against a server whose cursor never advances; real listings fit in one 1000-model page. */
const MAX_PAGES = 20;

/**
 * @example
 * const models = await listAnthropicModels(config, { signal });
 */
export async function listAnthropicModels(
  config: AnthropicModelConfig,
  options: { signal?: AbortSignal } = {},
): Promise<ModelInfo[]> {
  const models: ModelInfo[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = after === undefined ? '?limit=1000' : `?limit=1000&after_id=${encodeURIComponent(after)}`;
    const { json } = await requestJson<AnthropicModelList>(
      {
        provider: 'anthropic',
        method: 'GET',
        url: `${config.url('models')}${query}`,
        headers: config.headers(),
      },
      mapAnthropicError,
      { signal: options.signal },
      config,
    );
    for (const model of json.data ?? []) {
      const created = model.created_at ? Date.parse(model.created_at) : Number.NaN;
      models.push({
        id: model.id,
        provider: 'anthropic',
        ownedBy: 'anthropic',
        ...(Number.isNaN(created) ? {} : { created: Math.floor(created / 1000) }),
        ...(model.max_input_tokens ? { contextWindow: model.max_input_tokens } : {}),
      });
    }
    if (!json.has_more || !json.last_id || json.last_id === after) break;
    after = json.last_id;
  }
  return models;
}
