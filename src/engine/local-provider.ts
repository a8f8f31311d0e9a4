/**
 * The `local` provider: GGUF models served in-process by llama.cpp, behind the same LanguageModel
 * and EmbeddingModel interfaces as the hosted providers. A model id is a path to a `.gguf` file or a
 * name in the model store (`$CONDUIT_HOME/models`, filled by `conduit pull`).
 *
 * @example
 * const local = createLocal({ threads: 1, sequences: 4, contextSize: 4096 });
 * const model = local.languageModel('./models/qwen2.5-0.5b-instruct-q4_k_m.gguf');
 * const { text, usage } = await model.generate({ messages: [{ role: 'user', content: 'Hi' }] });
 * await local.dispose(); // unloads models (also happens after keepAliveMs of idleness)
 */
import { totalmem } from 'node:os';
import type { ModelInfo, Provider } from '../core/provider.js';
import type { EngineMetrics } from './engine-metrics.js';
import { LocalEmbeddingModel } from './local-embedding-model.js';
import { LocalLanguageModel } from './local-language-model.js';
import { createLocalModelContext, type LocalSettings } from './local-model-context.js';
import type { LoadedModelStatus } from './model-manager.js';
import { listStoredModels } from './model-store.js';

export interface LocalProvider extends Provider {
  readonly id: 'local';
  languageModel(modelId: string): LocalLanguageModel;
  embeddingModel(modelId: string): LocalEmbeddingModel;
  /** Models in the store. */
  listModels(): Promise<ModelInfo[]>;
  /** Models loaded right now, with their running and waiting requests. */
  status(): LoadedModelStatus[];
  readonly metrics: EngineMetrics;
  /** Loads a model ahead of its first request (e.g. at server start). */
  preload(modelId: string): Promise<void>;
  /** Unloads one model (by the name or path it was requested with) or all of them. */
  unload(modelId?: string): Promise<void>;
  /** Unloads everything; the provider stays usable and loads again on demand. */
  dispose(): Promise<void>;
}

export function createLocal(settings: LocalSettings = {}): LocalProvider {
  const context = createLocalModelContext(settings, totalmem());
  return {
    id: 'local',
    metrics: context.metrics,
    languageModel: (modelId) => new LocalLanguageModel(modelId, context),
    embeddingModel: (modelId) => new LocalEmbeddingModel(modelId, context),
    async listModels() {
      const stored = await listStoredModels({ dir: settings.modelsDir, env: settings.env });
      return stored.map((m) => ({ id: m.name, provider: 'local', ownedBy: m.manifest?.source ?? 'local' }));
    },
    status: () => context.manager.status(),
    async preload(modelId) {
      (await context.acquire(modelId)).release();
    },
    async unload(modelId) {
      await context.manager.unload(modelId === undefined ? undefined : await context.resolvePath(modelId));
    },
    dispose: () => context.manager.unload(),
  };
}
