/**
 * A deployment: one concrete model behind an alias (provider + model + connection), with the
 * routing attributes the router reads. Models are created lazily so a bad key fails its own calls,
 * not the whole gateway's start.
 */
import type { EmbeddingModel, LanguageModel } from '../core/language-model.js';

export interface Deployment {
  /** Stable id used in logs, metrics and cooldown state: `<alias>/<index>`. */
  readonly id: string;
  readonly alias: string;
  readonly provider: string;
  readonly model: string;
  /** `provider:model`, as users write it. */
  readonly name: string;
  readonly weight: number;
  readonly priority: number;
  readonly rpm?: number;
  readonly tpm?: number;
  languageModel(): LanguageModel;
  embeddingModel(): EmbeddingModel;
}

export interface DeploymentSpec {
  alias: string;
  index: number;
  provider: string;
  model: string;
  weight?: number;
  priority?: number;
  rpm?: number;
  tpm?: number;
  createLanguageModel: () => LanguageModel;
  createEmbeddingModel: () => EmbeddingModel;
}

export function createDeployment(spec: DeploymentSpec): Deployment {
  let language: LanguageModel | undefined;
  let embedding: EmbeddingModel | undefined;
  return {
    id: `${spec.alias}/${spec.index}`,
    alias: spec.alias,
    provider: spec.provider,
    model: spec.model,
    name: `${spec.provider}:${spec.model}`,
    weight: spec.weight ?? 1,
    priority: spec.priority ?? 0,
    rpm: spec.rpm,
    tpm: spec.tpm,
    languageModel: () => {
      language ??= spec.createLanguageModel();
      return language;
    },
    embeddingModel: () => {
      embedding ??= spec.createEmbeddingModel();
      return embedding;
    },
  };
}
