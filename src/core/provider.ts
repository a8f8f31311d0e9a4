/**
 * What a source of models offers: models by id and, when it can, a listing. Hosted providers and
 * the local engine both implement it, so the runtime resolves `provider/model` names the same way
 * for each.
 */
import type { EmbeddingModel, LanguageModel } from './language-model.js';

export interface ModelInfo {
  id: string;
  provider: string;
  ownedBy?: string;
  created?: number;
  contextWindow?: number;
}

export interface Provider {
  readonly id: string;
  languageModel(modelId: string): LanguageModel;
  embeddingModel?(modelId: string): EmbeddingModel;
  listModels?(options?: { signal?: AbortSignal }): Promise<ModelInfo[]>;
}
