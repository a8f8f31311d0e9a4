/**
 * ModelFactories over a runtime — what `conduit eval` uses. Names resolve as everywhere in Conduit
 * (aliases are routers, `provider:model`, `local:<gguf path or stored name>` on the in-process
 * engine), and every call an eval makes is logged and traced like any other. RAG targets read the
 * collection's embedding model from the store.
 *
 * @example
 * const factories = evalFactories(conduit);
 * await createSuiteTargets(suite, factories);
 */
import { ConduitError } from '../core/errors.js';
import type { ModelFactories } from '../eval/runner/suite-targets.js';
import { PROVIDER_FACTORIES } from '../providers/registry.js';
import type { Conduit } from './open-conduit.js';

export function evalFactories(conduit: Pick<Conduit, 'models' | 'storage' | 'env'>): ModelFactories {
  return {
    async languageModel(spec) {
      return conduit.models.get(spec);
    },
    async embeddingModel(spec) {
      return conduit.models.embedding(spec);
    },
    gatewayModel({ baseURL, model, apiKey, headers }) {
      return PROVIDER_FACTORIES['openai-compatible']({
        baseURL,
        env: conduit.env,
        ...(apiKey ? { apiKey } : {}),
        ...(headers ? { headers } : {}),
      }).languageModel(model);
    },
    async rag() {
      const { storage } = conduit;
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
          // The key conduit-llm/rag records at ingest: queries must use the model the vectors came from.
          const spec = collection.metadata.embedding_model;
          if (typeof spec !== 'string' || spec === '') return undefined;
          return conduit.models.embedding(spec);
        },
      };
    },
  };
}
