/**
 * ModelFactories from a conduit.yaml model resolver — what `conduit eval` uses. Names resolve as
 * everywhere in Conduit (aliases, `provider:model`, `local:<gguf path or stored name>` on the
 * in-process engine, which the resolver starts on first use and `dispose()` unloads). RAG targets
 * read the collection's embedding model from the store.
 *
 * @example
 * const factories = createResolverFactories({ resolver: createModelResolver(config), storage });
 * try { await createSuiteTargets(suite, factories); } finally { await factories.dispose(); }
 */
import type { ModelResolver } from '../../config/resolve-model.js';
import { ConduitError } from '../../core/errors.js';
import type { Storage } from '../../storage/ports/storage.js';
import type { ModelFactories } from './suite-targets.js';

export interface ResolverFactoriesOptions {
  /** Resolves aliases, `provider:model` and `local:<gguf>` (the engine loads on first use). */
  resolver: Pick<ModelResolver, 'languageModel' | 'embeddingModel' | 'provider' | 'close'>;
  storage?: Storage;
}

export function createResolverFactories(
  options: ResolverFactoriesOptions,
): ModelFactories & { dispose(): Promise<void> } {
  const { resolver } = options;
  return {
    async languageModel(spec) {
      return resolver.languageModel(spec);
    },
    async embeddingModel(spec) {
      return resolver.embeddingModel(spec);
    },
    gatewayModel({ baseURL, model, apiKey, headers }) {
      return resolver
        .provider('openai-compatible', {
          base_url: baseURL,
          ...(apiKey ? { api_key: apiKey } : {}),
          ...(headers ? { headers } : {}),
        })
        .languageModel(model);
    },
    async rag() {
      const storage = options.storage;
      if (!storage) throw new ConduitError('unsupported', 'RAG targets need storage', { param: 'target' });
      return {
        store: storage.documents,
        embedder: async (name: string) => {
          const collection = await storage.documents.getCollection(name);
          if (!collection)
            throw new ConduitError(
              'not_found',
              `Collection ${name} not found (ingest it first: conduit ingest)`,
              {
                param: 'collection',
              },
            );
          // The key conduit/rag records at ingest: queries must use the model the vectors came from.
          const spec = collection.metadata.embedding_model;
          if (typeof spec !== 'string' || spec === '') return undefined;
          return resolver.embeddingModel(spec);
        },
      };
    },
    // Unloads local models the suite used.
    dispose: () => resolver.close(),
  };
}
