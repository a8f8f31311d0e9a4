/**
 * Retrieval over one collection: BM25, dense (cosine over embeddings) or hybrid (weighted reciprocal
 * rank fusion of both), with metadata filters, optional reranking, optional grouping by document and
 * optional MMR diversity. Without an embedding model — or on a collection built without one — hybrid
 * falls back to BM25 and says so in `notices`.
 *
 * Each retrieval is a `retrieval <collection>` span (OpenTelemetry GenAI conventions) under
 * `callOptions.trace`, with the query's embedding and any reranking under it. The query text is user
 * data: recorded only when the recorder captures content.
 *
 * @example
 * const { hits, mode, notices } = await retrieve({
 *   store: storage.documents, collection: 'handbook', query: 'parental leave', k: 5, embedder,
 *   filter: { field: 'lang', op: 'eq', value: 'en' },
 * });
 */
import { ConduitError } from '../../core/errors.js';
import type { CallOptions, EmbeddingModel } from '../../core/language-model.js';
import { startSpan } from '../../core/trace-context.js';
import type { DocumentStore } from '../../storage/ports/document-store.js';
import type { MetadataFilter } from '../../storage/ports/metadata-filter.js';
import { groupByDocument } from './group-by-document.js';
import { maximalMarginalRelevance } from './maximal-marginal-relevance.js';
import { type RankedList, reciprocalRankFusion, singleList } from './reciprocal-rank-fusion.js';
import { applyReranker, type Reranker } from './reranker.js';
import type { RetrievalMode, RetrievedChunk } from './retrieved-chunk.js';

export interface RetrieveOptions {
  store: DocumentStore;
  collection: string;
  query: string;
  /** Results to return; default 10. */
  k?: number;
  /** Default: hybrid when dense retrieval is possible, otherwise bm25. */
  mode?: RetrievalMode;
  embedder?: EmbeddingModel;
  filter?: MetadataFilter;
  /** Candidates fetched from each list before fusion; default max(4k, 40), more for byDocument. */
  candidates?: number;
  /** RRF weights; default 1 each. */
  weights?: { bm25?: number; dense?: number };
  /** RRF constant; default 60. */
  rrfK?: number;
  reranker?: Reranker;
  /** How many fused candidates the reranker sees; default 20. */
  rerankTop?: number;
  /** One result per document, ranked by its best chunk. */
  byDocument?: boolean;
  /** MMR diversity; `true` for λ = 0.7. */
  mmr?: boolean | { lambda?: number };
  callOptions?: CallOptions;
}

export interface RetrievalResult {
  hits: RetrievedChunk[];
  /** The mode that actually ran. */
  mode: RetrievalMode;
  /** Fallbacks and other facts the user should be told. */
  notices: string[];
  timings: { embedMs: number; searchMs: number; rerankMs: number; totalMs: number };
  embeddingTokens: number;
}

export async function retrieve(options: RetrieveOptions): Promise<RetrievalResult> {
  const parent = options.callOptions?.trace;
  if (!parent) return retrieveUntraced(options);
  const span = startSpan(parent, `retrieval ${options.collection}`, {
    kind: 'internal',
    attributes: {
      'gen_ai.operation.name': 'retrieval',
      'gen_ai.data_source.id': options.collection,
      'gen_ai.request.top_k': options.k ?? 10,
      'conduit.retrieval.k': options.k ?? 10,
      'conduit.retrieval.reranked': options.reranker ? true : undefined,
      'gen_ai.retrieval.query.text': parent.recorder?.captureContent ? options.query : undefined,
    },
  });
  try {
    const result = await retrieveUntraced({
      ...options,
      callOptions: { ...options.callOptions, trace: span.context },
    });
    span.setAttributes({
      'conduit.retrieval.mode': result.mode,
      'conduit.retrieval.results': result.hits.length,
    });
    return result;
  } catch (error) {
    span.recordError(error);
    throw error;
  } finally {
    span.end();
  }
}

async function retrieveUntraced(options: RetrieveOptions): Promise<RetrievalResult> {
  const started = performance.now();
  const { store, collection: name, embedder } = options;
  const query = options.query.trim();
  if (!query) throw new ConduitError('bad_request', 'The query is empty', { param: 'query' });
  const k = options.k ?? 10;
  if (!Number.isInteger(k) || k < 1 || k > 1000)
    throw new ConduitError('bad_request', `k must be an integer from 1 to 1000, got ${k}`, { param: 'k' });
  const collection = await store.getCollection(name);
  if (!collection)
    throw new ConduitError('not_found', `Collection ${name} not found`, { param: 'collection' });

  const notices: string[] = [];
  const denseReady = !!embedder && collection.dimensions !== null;
  let mode: RetrievalMode = options.mode ?? (denseReady ? 'hybrid' : 'bm25');
  if (mode !== 'bm25' && !denseReady) {
    const why = embedder ? `collection ${name} has no embeddings` : 'no embedding model is configured';
    if (mode === 'dense')
      throw new ConduitError('bad_request', `Dense retrieval is not possible: ${why}`, { param: 'mode' });
    notices.push(`Hybrid retrieval fell back to BM25 only: ${why}.`);
    mode = 'bm25';
  } else if (!options.mode && !denseReady) {
    notices.push(
      embedder
        ? `BM25 only: collection ${name} has no embeddings.`
        : 'BM25 only: no embedding model is configured (dense and hybrid retrieval need one).',
    );
  }

  const wide = options.byDocument ? Math.max(k * 8, 50) : Math.max(k * 4, 40);
  const candidates = Math.min(
    1000,
    options.candidates ?? (options.mmr || options.reranker ? wide * 2 : wide),
  );
  const search = { k: candidates, ...(options.filter ? { filter: options.filter } : {}) };
  let embedMs = 0;
  let embeddingTokens = 0;
  const lists: RankedList[] = [];
  let vectorQuery: Promise<number[]> | undefined;
  if (mode !== 'bm25' && embedder) {
    const t = performance.now();
    vectorQuery = embedder.embed([query], { ...options.callOptions, inputType: 'query' }).then((r) => {
      embedMs = performance.now() - t;
      embeddingTokens = r.usage.totalTokens;
      const vector = r.embeddings[0];
      if (!vector) throw new ConduitError('invalid_response', `${embedder.id} returned no embedding`);
      return vector;
    });
  }
  const searchStarted = performance.now();
  const [textHits, vectorHits] = await Promise.all([
    mode === 'dense' ? undefined : store.searchText(name, query, search),
    vectorQuery?.then((vector) => store.searchVector(name, vector, search)),
  ]);
  const searchMs = performance.now() - searchStarted - embedMs;
  if (textHits) lists.push({ name: 'bm25', hits: textHits, weight: options.weights?.bm25 ?? 1 });
  if (vectorHits) lists.push({ name: 'dense', hits: vectorHits, weight: options.weights?.dense ?? 1 });
  let ranked = lists.length === 1 ? singleList(lists[0]!) : reciprocalRankFusion(lists, options.rrfK ?? 60);

  let rerankMs = 0;
  if (options.reranker && ranked.length > 0) {
    const t = performance.now();
    ranked = await applyReranker(
      options.reranker,
      query,
      ranked,
      options.rerankTop ?? 20,
      options.callOptions,
    );
    rerankMs = performance.now() - t;
  }
  if (options.byDocument) ranked = groupByDocument(ranked);
  if (options.mmr) {
    const lambda = typeof options.mmr === 'object' ? options.mmr.lambda : undefined;
    const embeddings = denseReady ? await chunkEmbeddings(store, name, ranked.slice(0, k * 4)) : undefined;
    ranked = maximalMarginalRelevance(ranked.slice(0, k * 4), k, {
      ...(lambda !== undefined ? { lambda } : {}),
      ...(embeddings ? { embeddings } : {}),
    });
  }
  return {
    hits: ranked.slice(0, k),
    mode,
    notices,
    timings: { embedMs, searchMs: Math.max(0, searchMs), rerankMs, totalMs: performance.now() - started },
    embeddingTokens,
  };
}

/** Vectors of the candidates, read per document (the port returns embeddings with a document's chunks). */
async function chunkEmbeddings(
  store: DocumentStore,
  collection: string,
  hits: readonly RetrievedChunk[],
): Promise<Map<string, Float32Array>> {
  const wanted = new Set(hits.map((h) => h.chunk.id));
  const out = new Map<string, Float32Array>();
  for (const documentId of new Set(hits.map((h) => h.document.id))) {
    for (const chunk of await store.getChunks(collection, documentId)) {
      if (wanted.has(chunk.id) && chunk.embedding) out.set(chunk.id, chunk.embedding);
    }
  }
  return out;
}
