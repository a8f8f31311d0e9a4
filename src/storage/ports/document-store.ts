/**
 * Port for RAG documents: collections, documents with their full text, and chunks with optional
 * embeddings. Search is BM25 over chunk text and exact cosine similarity over embeddings; both accept
 * the same metadata filter. Adapters may swap the vector scan for an index (sqlite-vec, pgvector)
 * behind this port as long as results stay exact or say otherwise.
 */
import type { MetadataFilter } from './metadata-filter.js';

export interface Collection {
  name: string;
  metadata: Record<string, unknown>;
  /** Embedding length, fixed by creation or by the first embedded chunk; null until then. */
  dimensions: number | null;
  documentCount: number;
  chunkCount: number;
  createdAt: number;
}

export interface CreateCollectionInput {
  name: string;
  metadata?: Record<string, unknown>;
  dimensions?: number | null;
}

export interface DocumentInput {
  /** Unique within the collection; re-using it replaces the document. */
  id: string;
  uri?: string | null;
  title?: string | null;
  /** SHA-256 of `text` when omitted. Ingest compares it to skip unchanged sources. */
  contentHash?: string;
  metadata?: Record<string, unknown>;
  text?: string;
}

export interface ChunkInput {
  /** Unique within the collection; `${documentId}#${ordinal}` when omitted. */
  id?: string;
  text: string;
  page?: number | null;
  /** Character offsets of the chunk in the document text. */
  start?: number | null;
  end?: number | null;
  headingPath?: string[];
  /** Merged over the document's metadata when filtering. */
  metadata?: Record<string, unknown>;
  embedding?: Float32Array | number[] | null;
}

/** A document as listed: everything but its text. */
export interface DocumentSummary {
  id: string;
  collection: string;
  uri: string | null;
  title: string | null;
  contentHash: string;
  metadata: Record<string, unknown>;
  chunkCount: number;
  createdAt: number;
  updatedAt: number;
}

export interface StoredDocument extends DocumentSummary {
  text: string;
}

export interface StoredChunk {
  id: string;
  documentId: string;
  /** Position in the document, from 0, in the order the chunks were given. */
  ordinal: number;
  text: string;
  page: number | null;
  start: number | null;
  end: number | null;
  headingPath: string[];
  metadata: Record<string, unknown>;
  embedding: Float32Array | null;
}

export interface SearchOptions {
  /** How many hits to return; default 10. */
  k?: number;
  filter?: MetadataFilter;
}

export interface ChunkHit {
  /** Without its embedding, to keep results small. */
  chunk: Omit<StoredChunk, 'embedding'>;
  document: { id: string; uri: string | null; title: string | null; metadata: Record<string, unknown> };
  /** Higher is better. BM25 scores compare only within one query; vector scores are cosine. */
  score: number;
}

export interface DocumentStore {
  /** Throws `conflict` when the name exists. */
  createCollection(input: CreateCollectionInput): Promise<Collection>;
  getCollection(name: string): Promise<Collection | undefined>;
  listCollections(): Promise<Collection[]>;
  /** Deletes the collection with its documents and chunks. */
  deleteCollection(name: string): Promise<boolean>;

  /**
   * Inserts or replaces a document and all its chunks in one transaction: readers see the old
   * version or the new one, never a mix. Throws `not_found` for an unknown collection and
   * `bad_request` for an embedding of the wrong length.
   */
  upsertDocument(collection: string, document: DocumentInput, chunks: ChunkInput[]): Promise<DocumentSummary>;
  getDocument(collection: string, id: string): Promise<StoredDocument | undefined>;
  /** Chunks in ordinal order, with embeddings. */
  getChunks(collection: string, documentId: string): Promise<StoredChunk[]>;
  /** Sorted by id; with content hashes, for incremental ingest. Throws `not_found` for an unknown collection. */
  listDocuments(collection: string): Promise<DocumentSummary[]>;
  deleteDocument(collection: string, id: string): Promise<boolean>;

  /**
   * BM25 over chunk text. The query is plain text: operators and punctuation are treated as words,
   * and a chunk matches when it contains any query term. Searches throw `not_found` for an unknown
   * collection and `bad_request` for an invalid filter.
   */
  searchText(collection: string, query: string, options?: SearchOptions): Promise<ChunkHit[]>;
  /** Exact cosine similarity against every embedded chunk that passes the filter. */
  searchVector(
    collection: string,
    vector: Float32Array | number[],
    options?: SearchOptions,
  ): Promise<ChunkHit[]>;
}
