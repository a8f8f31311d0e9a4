/**
 * Ingestion: inputs (files, directories, globs, URLs, or sources handed over in memory) → loaded
 * documents → chunks → optional embeddings → the DocumentStore, one transaction per document.
 * Incremental: a document whose fingerprint is unchanged is skipped; `prune` deletes documents whose
 * source fell under the inputs but is gone. One bad file is reported and the run goes on.
 *
 * @example
 * const storage = await openStorage(defaultStorageUrl());
 * const summary = await ingest({ store: storage.documents, collection: 'handbook', inputs: ['docs/'] });
 * summary.documents; // { added: 12, updated: 0, unchanged: 3, removed: 0 }
 */
import { ConduitError } from '../../core/errors.js';
import type { EmbeddingModel } from '../../core/language-model.js';
import type { ChunkInput, DocumentStore, DocumentSummary } from '../../storage/ports/document-store.js';
import type { ChunkOptions } from '../chunking/chunk-document.js';
import { expandInputs } from '../loaders/expand-inputs.js';
import { type IngestSource, type LoadOptions, loadSource, sourceLabel } from '../loaders/load-source.js';
import type { LoadedDocument, LoadFailure } from '../loaders/loaded-document.js';
import { ensureCollection } from './collection-settings.js';
import { DEFAULT_EMBEDDING_BATCH, embedTexts } from './embed-texts.js';
import { chunksOf, documentFingerprint, embeddingInput } from './ingest-document.js';

export interface IngestOptions extends LoadOptions {
  store: DocumentStore;
  collection: string;
  /** Paths, directories (recursive), globs and http(s) URLs, as a user types them. */
  inputs?: string[];
  /** Sources given directly (an HTTP upload, bytes in memory). */
  sources?: IngestSource[];
  /** Without one, chunks are indexed for BM25 only. */
  embedder?: EmbeddingModel;
  /** Recorded in the collection for queries to resolve again (an alias); default `embedder.id`. */
  embedderName?: string;
  chunking?: ChunkOptions;
  /** Delete documents whose source is covered by the inputs but no longer produced them. */
  prune?: boolean;
  /** Base for relative paths; default process.cwd(). */
  cwd?: string;
  signal?: AbortSignal;
  onProgress?: (event: IngestProgress) => void;
}

export type IngestProgress =
  | { type: 'start'; sources: number }
  | { type: 'source'; source: string; done: number; sources: number; documents: number; failed?: string };

export interface IngestSummary {
  collection: string;
  /** Sources read (files, URLs, uploads). */
  files: number;
  documents: { added: number; updated: number; unchanged: number; removed: number };
  /** Chunks written in this run (unchanged documents keep theirs). */
  chunks: number;
  /** Files of unsupported types found in directories. */
  skipped: number;
  failed: LoadFailure[];
  embeddings: { model: string | null; tokens: number; costUsd: number };
  notices: string[];
  elapsedMs: number;
}

interface Pending {
  doc: LoadedDocument;
  hash: string;
  existed: boolean;
  chunks: ReturnType<typeof chunksOf>;
}

export async function ingest(options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const { store, collection, embedder } = options;
  const chunking = options.chunking ?? {};
  await ensureCollection(
    store,
    collection,
    embedder,
    options.embedderName ? { embedderName: options.embedderName } : {},
  );
  const expanded = await expandInputs(options.inputs ?? [], options.cwd);
  const extra = options.sources ?? [];
  const sources = [...expanded.sources, ...extra];
  const covers = (s: string) => expanded.covers(s) || extra.some((x) => sourceKey(x) === s);
  const known = new Map((await store.listDocuments(collection)).map((d) => [d.id, d]));
  const summary: IngestSummary = {
    collection,
    files: sources.length,
    documents: { added: 0, updated: 0, unchanged: 0, removed: 0 },
    chunks: 0,
    skipped: expanded.skipped.length,
    failed: [...expanded.failures],
    embeddings: { model: embedder?.id ?? null, tokens: 0, costUsd: 0 },
    notices: embedder
      ? []
      : ['No embedding model: chunks are indexed for BM25 only (dense and hybrid search need one).'],
    elapsedMs: 0,
  };
  const seen = new Map<string, string>(); // document id -> source label
  const failedSources = new Set<string>();
  let pending: Pending[] = [];

  const flush = async () => {
    const batch = pending;
    pending = [];
    try {
      await writeDocuments(options, batch, summary);
    } catch (error) {
      for (const p of batch) summary.failed.push({ source: p.doc.id, reason: reasonOf(error) });
    }
  };

  options.onProgress?.({ type: 'start', sources: sources.length });
  for (const [index, source] of sources.entries()) {
    options.signal?.throwIfAborted();
    const label = sourceLabel(source);
    let loadedCount = 0;
    let failure: string | undefined;
    try {
      const result = await loadSource(source, options);
      summary.failed.push(...result.failures);
      for (const doc of result.documents) {
        const other = seen.get(doc.id);
        if (other) {
          summary.failed.push({
            source: label,
            reason: `document id "${doc.id}" was already loaded from ${other}`,
          });
          continue;
        }
        seen.set(doc.id, label);
        loadedCount++;
        const hash = documentFingerprint(doc, { chunking, embeddingModel: embedder?.id ?? null });
        const existing = known.get(doc.id);
        if (existing?.contentHash === hash) {
          summary.documents.unchanged++;
          continue;
        }
        pending.push({ doc, hash, existed: !!existing, chunks: chunksOf(doc, chunking) });
        const waiting = pending.reduce((n, p) => n + p.chunks.length, 0);
        if (!embedder || waiting >= (embedder.maxBatchSize ?? DEFAULT_EMBEDDING_BATCH)) await flush();
      }
    } catch (error) {
      failure = reasonOf(error);
      failedSources.add(sourceKey(source));
      summary.failed.push({ source: label, reason: failure });
    }
    options.onProgress?.({
      type: 'source',
      source: label,
      done: index + 1,
      sources: sources.length,
      documents: loadedCount,
      ...(failure ? { failed: failure } : {}),
    });
  }
  await flush();
  if (options.prune)
    summary.documents.removed = await prune(store, collection, known, seen, covers, failedSources);
  summary.elapsedMs = Math.round(performance.now() - started);
  return summary;
}

async function writeDocuments(
  options: IngestOptions,
  batch: Pending[],
  summary: IngestSummary,
): Promise<void> {
  if (batch.length === 0) return;
  const { embedder, store, collection } = options;
  let vectors: number[][] = [];
  if (embedder) {
    const texts = batch.flatMap((p) => p.chunks.map((c) => embeddingInput(p.doc, c)));
    const embedded = await embedTexts(embedder, texts, { inputType: 'document', signal: options.signal });
    vectors = embedded.vectors;
    summary.embeddings.tokens += embedded.tokens;
    summary.embeddings.costUsd += embedded.costUsd;
  }
  let v = 0;
  for (const p of batch) {
    const chunks: ChunkInput[] = p.chunks.map((c) => ({
      text: c.text,
      page: c.page,
      start: c.start,
      end: c.end,
      headingPath: c.headingPath,
      metadata: {},
      embedding: embedder ? vectors[v++] : null,
    }));
    try {
      const { doc } = p;
      await store.upsertDocument(
        collection,
        {
          id: doc.id,
          uri: doc.uri,
          title: doc.title,
          contentHash: p.hash,
          metadata: doc.metadata,
          text: doc.text,
        },
        chunks,
      );
      if (p.existed) summary.documents.updated++;
      else summary.documents.added++;
      summary.chunks += chunks.length;
    } catch (error) {
      summary.failed.push({ source: p.doc.id, reason: reasonOf(error) });
    }
  }
}

async function prune(
  store: DocumentStore,
  collection: string,
  known: Map<string, DocumentSummary>,
  seen: Map<string, string>,
  covers: (source: string) => boolean,
  failedSources: Set<string>,
): Promise<number> {
  let removed = 0;
  for (const doc of known.values()) {
    const source = doc.metadata.source;
    if (seen.has(doc.id) || typeof source !== 'string' || !covers(source) || failedSources.has(source))
      continue;
    if (await store.deleteDocument(collection, doc.id)) removed++;
  }
  return removed;
}

/** The `source` metadata value documents of this source carry (see load-source.ts). */
function sourceKey(source: IngestSource): string {
  return source.kind === 'file'
    ? source.path
    : source.kind === 'url'
      ? source.url
      : (source.uri ?? source.name);
}

function reasonOf(error: unknown): string {
  if (ConduitError.isInstance(error)) return error.message;
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return 'no such file or directory';
  if (e?.code === 'EACCES') return 'permission denied';
  return e?.message ?? String(error);
}
