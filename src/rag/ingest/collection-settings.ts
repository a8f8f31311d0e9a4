/**
 * What a collection remembers about how it was built: the embedding model its vectors came from.
 * Queries must be embedded by the same model, so `search` and `ask` read it from here instead of
 * asking the user again, and ingest refuses to mix two models' vectors in one collection.
 */
import { ConduitError } from '../../core/errors.js';
import type { EmbeddingModel } from '../../core/language-model.js';
import type { Collection, DocumentStore } from '../../storage/ports/document-store.js';

export const EMBEDDING_MODEL_KEY = 'embedding_model';

/** The embedding model id a collection was built with; null for a BM25-only collection. */
export function embeddingModelOf(collection: Pick<Collection, 'metadata'>): string | null {
  const value = collection.metadata[EMBEDDING_MODEL_KEY];
  return typeof value === 'string' && value ? value : null;
}

export interface EnsureCollectionOptions {
  metadata?: Record<string, unknown>;
  /**
   * What to record (and compare) as the embedding model: the spec a user typed, such as an alias
   * from conduit.yaml, which resolves again later. Default `embedder.id`.
   */
  embedderName?: string;
}

/**
 * Returns the collection, creating it (recording `embedder`) when missing. Throws `bad_request` when
 * the collection was built with another embedding model, or without one and already holds chunks.
 */
export async function ensureCollection(
  store: DocumentStore,
  name: string,
  embedder: EmbeddingModel | undefined,
  options: EnsureCollectionOptions = {},
): Promise<Collection> {
  const recordAs = embedder ? (options.embedderName ?? embedder.id) : null;
  const create = () =>
    store.createCollection({
      name,
      metadata: { ...options.metadata, [EMBEDDING_MODEL_KEY]: recordAs },
      dimensions: embedder?.dimensions ?? null,
    });
  const existing = await store.getCollection(name);
  if (!existing) {
    try {
      return await create();
    } catch (error) {
      // Another process created it between our read and our write: use theirs.
      const raced =
        ConduitError.isInstance(error) && error.code === 'conflict' && (await store.getCollection(name));
      if (raced) return checkCompatible(raced, recordAs);
      throw error;
    }
  }
  if (!embeddingModelOf(existing) && embedder && existing.documentCount === 0) {
    // An empty BM25-only collection can simply be re-created with the model recorded.
    await store.deleteCollection(name);
    return create();
  }
  return checkCompatible(existing, recordAs);
}

function checkCompatible(collection: Collection, embedder: string | null): Collection {
  const recorded = embeddingModelOf(collection);
  if (recorded && !embedder) {
    throw new ConduitError(
      'bad_request',
      `Collection ${collection.name} is embedded with ${recorded}; ingest with that embedding model, or into a new collection`,
      { param: 'embedding_model' },
    );
  }
  if (recorded && embedder && recorded !== embedder) {
    throw new ConduitError(
      'bad_request',
      `Collection ${collection.name} is embedded with ${recorded}, not ${embedder}: vectors of two models cannot be compared. Use ${recorded}, or a new collection`,
      { param: 'embedding_model' },
    );
  }
  if (!recorded && embedder && collection.chunkCount > 0) {
    throw new ConduitError(
      'bad_request',
      `Collection ${collection.name} was built without embeddings; re-create it to add ${embedder}`,
      { param: 'embedding_model' },
    );
  }
  return collection;
}
