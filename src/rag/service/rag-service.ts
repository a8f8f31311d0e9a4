/**
 * RAG as plain async functions for the HTTP server to mount: collections CRUD, document upload (bytes
 * or a URL behind the SSRF guard), search, and ask as a stream of server-sent events. Bodies are
 * validated here and every failure is a ConduitError, so the server's one error formatter applies.
 * Models arrive as resolver functions; nothing here imports a provider.
 *
 * @example
 * const rag = createRagService({
 *   store: storage.documents,
 *   languageModel: resolver.languageModel, embeddingModel: resolver.embeddingModel, defaultModel: 'fast',
 * });
 * app.post('/v1/collections/:name/search', async (c) => c.json(await rag.search(c.req.param('name'), await c.req.json())));
 * // POST /v1/collections/:name/ask → for await (const { event, data } of rag.askEvents(name, body)) sse.write(...)
 */
import { ConduitError } from '../../core/errors.js';
import type { CallOptions, EmbeddingModel, LanguageModel } from '../../core/language-model.js';
import type { DocumentStore } from '../../storage/ports/document-store.js';
import { type AskStream, askStream } from '../answer/ask.js';
import type { ChunkOptions } from '../chunking/chunk-document.js';
import { EMBEDDING_MODEL_KEY, embeddingModelOf } from '../ingest/collection-settings.js';
import { type IngestSummary, ingest } from '../ingest/ingest.js';
import type { FetchUrlOptions } from '../loaders/fetch-url.js';
import type { JsonlFields } from '../loaders/load-jsonl.js';
import type { DocumentFormat } from '../loaders/loaded-document.js';
import type { Reranker } from '../retrieval/reranker.js';
import { type RetrieveOptions, retrieve } from '../retrieval/retrieve.js';
import { askEventJson, collectionJson, searchResultsJson } from './rag-json.js';
import {
  askBodySchema,
  checkCollectionName,
  createCollectionBodySchema,
  parseBody,
  searchBodySchema,
} from './rag-schemas.js';

export interface RagServiceOptions {
  store: DocumentStore;
  /** Resolves a generative model spec (the request's `model`, or `defaultModel`). */
  languageModel?: (spec: string) => LanguageModel;
  /** Resolves the embedding model a collection records. Without it, retrieval is BM25 only. */
  embeddingModel?: (spec: string) => EmbeddingModel;
  /** Used by `ask` when the request names no model; without one, answers are extractive. */
  defaultModel?: string;
  /** Applied when a request sets `rerank: true`. */
  reranker?: Reranker;
  chunking?: ChunkOptions;
  /** Limits for URL uploads; private addresses are refused unless `allowPrivateNetwork`. */
  fetch?: FetchUrlOptions;
}

export type DocumentUpload =
  | { url: string; metadata?: Record<string, unknown> }
  | {
      filename: string;
      data: Uint8Array | string;
      contentType?: string;
      format?: DocumentFormat;
      id?: string;
      title?: string;
      metadata?: Record<string, unknown>;
      /** JSONL uploads: which fields hold id, text and title. */
      jsonl?: JsonlFields;
    };

/**
 * What a request passes to each operation: its abort signal, and the trace its retrievals and model
 * calls are recorded under (the HTTP request's span).
 */
export type RagCall = Pick<CallOptions, 'signal' | 'trace'>;

/** `callOptions` for retrieve and ask: only the fields the call set, none at all when it set none. */
function callOptionsOf(call: RagCall): { callOptions?: CallOptions } {
  const options: CallOptions = {
    ...(call.signal ? { signal: call.signal } : {}),
    ...(call.trace ? { trace: call.trace } : {}),
  };
  return Object.keys(options).length > 0 ? { callOptions: options } : {};
}

export function createRagService(options: RagServiceOptions) {
  const { store } = options;

  const requireCollection = async (name: string) => {
    const collection = await store.getCollection(name);
    if (!collection) throw new ConduitError('not_found', `Collection ${name} not found`, { param: 'name' });
    return collection;
  };
  const embedderFor = async (name: string): Promise<EmbeddingModel | undefined> => {
    const spec = embeddingModelOf(await requireCollection(name));
    return spec && options.embeddingModel ? options.embeddingModel(spec) : undefined;
  };
  /** The embedding model a new collection names; an unknown one is the request's fault (400). */
  const resolveEmbedder = (spec: string): EmbeddingModel | undefined => {
    try {
      return options.embeddingModel?.(spec);
    } catch (error) {
      if (error instanceof ConduitError && error.code === 'not_found') {
        throw new ConduitError('bad_request', `Unknown embedding_model "${spec}": ${error.message}`, {
          param: 'embedding_model',
          cause: error,
        });
      }
      throw error;
    }
  };
  const retrievalOf = (body: {
    k?: number;
    mode?: RetrieveOptions['mode'];
    filter?: RetrieveOptions['filter'];
    mmr?: RetrieveOptions['mmr'];
    rerank?: boolean;
  }) => ({
    ...(body.k !== undefined ? { k: body.k } : {}),
    ...(body.mode ? { mode: body.mode } : {}),
    ...(body.filter ? { filter: body.filter } : {}),
    ...(body.mmr !== undefined ? { mmr: body.mmr } : {}),
    ...(body.rerank && options.reranker ? { reranker: options.reranker } : {}),
  });

  return {
    async listCollections() {
      return { collections: (await store.listCollections()).map(collectionJson) };
    },
    async getCollection(name: string) {
      return collectionJson(await requireCollection(name));
    },
    async createCollection(body: unknown) {
      const input = parseBody(createCollectionBodySchema, body);
      const embedder = input.embedding_model ? resolveEmbedder(input.embedding_model) : undefined;
      const created = await store.createCollection({
        name: input.name,
        metadata: { ...input.metadata, [EMBEDDING_MODEL_KEY]: input.embedding_model ?? null },
        dimensions: embedder ? (embedder.dimensions ?? null) : null,
      });
      return collectionJson(created);
    },
    async deleteCollection(name: string) {
      return { name, deleted: await store.deleteCollection(name) };
    },
    async listDocuments(name: string) {
      await requireCollection(name);
      const documents = await store.listDocuments(name);
      return {
        documents: documents.map((d) => ({
          id: d.id,
          uri: d.uri,
          title: d.title,
          content_hash: d.contentHash,
          chunk_count: d.chunkCount,
          metadata: d.metadata,
          updated_at: new Date(d.updatedAt).toISOString(),
        })),
      };
    },
    async deleteDocument(name: string, id: string) {
      await requireCollection(name);
      return { id, deleted: await store.deleteDocument(name, id) };
    },
    /** Adds or replaces documents from bytes (an upload) or a URL; unchanged content is skipped. */
    async addDocument(name: string, upload: DocumentUpload, call: RagCall = {}): Promise<IngestSummary> {
      checkCollectionName(name);
      const existing = await store.getCollection(name);
      const spec = existing ? embeddingModelOf(existing) : null;
      const embedder = existing ? await embedderFor(name) : undefined;
      const source =
        'url' in upload
          ? { kind: 'url' as const, url: upload.url }
          : {
              kind: 'data' as const,
              name: upload.filename,
              data: upload.data,
              ...(upload.contentType ? { contentType: upload.contentType } : {}),
              ...(upload.format ? { format: upload.format } : {}),
              ...(upload.id ? { id: upload.id } : {}),
              ...(upload.title ? { title: upload.title } : {}),
              ...(upload.metadata ? { metadata: upload.metadata } : {}),
            };
      const summary = await ingest({
        store,
        collection: name,
        sources: [source],
        ...(embedder && spec ? { embedder, embedderName: spec } : {}),
        ...(options.chunking ? { chunking: options.chunking } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...('jsonl' in upload ? upload.jsonl : {}),
        ...(call.signal ? { signal: call.signal } : {}),
      });
      if (
        summary.failed.length > 0 &&
        summary.documents.added + summary.documents.updated + summary.documents.unchanged === 0
      ) {
        throw new ConduitError(
          'unprocessable',
          `${summary.failed[0]!.source}: ${summary.failed[0]!.reason}`,
          {
            details: summary.failed,
          },
        );
      }
      return summary;
    },
    async search(name: string, body: unknown, call: RagCall = {}) {
      const input = parseBody(searchBodySchema, body);
      const embedder = await embedderFor(name);
      const result = await retrieve({
        store,
        collection: name,
        query: input.query,
        ...retrievalOf(input),
        ...(input.by_document ? { byDocument: true } : {}),
        ...(embedder ? { embedder } : {}),
        ...callOptionsOf(call),
      });
      return searchResultsJson(result.hits);
    },
    /** The ask pipeline as a stream; `.result` resolves to the AskResult. */
    async ask(name: string, body: unknown, call: RagCall = {}): Promise<AskStream> {
      const input = parseBody(askBodySchema, body);
      const embedder = await embedderFor(name);
      const spec = input.model ?? options.defaultModel;
      const model = spec && options.languageModel ? options.languageModel(spec) : undefined;
      return askStream({
        store,
        collection: name,
        question: input.question,
        retrieval: retrievalOf(input),
        ...(model ? { model } : {}),
        ...(embedder ? { embedder } : {}),
        ...(input.verify ? { verify: true } : {}),
        ...callOptionsOf(call),
      });
    },
    /** `ask` as server-sent events: `retrieval`, `step`, `delta`…, then `result` (or `error`). */
    async *askEvents(name: string, body: unknown, call: RagCall = {}) {
      for await (const event of await this.ask(name, body, call)) yield askEventJson(event);
    },
  };
}

export type RagService = ReturnType<typeof createRagService>;
