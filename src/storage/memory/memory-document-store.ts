/**
 * In-memory `DocumentStore`: BM25 and exact cosine search over plain arrays. Tokenisation has no
 * stemming (SQLite uses the Porter stemmer), so "panels" does not find "panel" here.
 */
import { ConduitError } from '../../core/errors.js';
import type { ChunkHit, Collection, DocumentStore, DocumentSummary } from '../ports/document-store.js';
import { checkNonEmpty } from '../shared/checks.js';
import {
  type ChunkRecord,
  checkDimensions,
  checkDimensionsSetting,
  checkQueryVector,
  type DocumentRecord,
  searchLimit,
  toChunkRecords,
  toDocumentRecord,
} from '../shared/document-records.js';
import { jsonClone } from '../shared/json.js';
import { matchesFilter, parseFilter } from '../shared/metadata-filter-match.js';
import { cosine, TopK, vectorNorm } from '../shared/vectors.js';
import { type Bm25Entry, bm25Entry, bm25Scores } from './bm25.js';

interface MemoryChunk extends Bm25Entry {
  record: ChunkRecord;
  document: MemoryDocument;
  norm: number;
}

interface MemoryDocument {
  record: DocumentRecord;
  createdAt: number;
  updatedAt: number;
  chunks: MemoryChunk[];
}

interface MemoryCollection {
  name: string;
  metadata: Record<string, unknown>;
  dimensions: number | null;
  createdAt: number;
  documents: Map<string, MemoryDocument>;
}

const byDocumentThenOrdinal = (a: MemoryChunk, b: MemoryChunk) =>
  a.document.record.id < b.document.record.id
    ? -1
    : a.document.record.id > b.document.record.id
      ? 1
      : a.record.ordinal - b.record.ordinal;

function summary(collection: string, doc: MemoryDocument): DocumentSummary {
  const { text: _text, ...rest } = doc.record;
  return jsonClone({
    ...rest,
    collection,
    chunkCount: doc.chunks.length,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  });
}

function hit(chunk: MemoryChunk, score: number): ChunkHit {
  const { embedding: _e, filterMetadata: _f, ...rest } = chunk.record;
  const { id, uri, title, metadata } = chunk.document.record;
  return { chunk: jsonClone(rest), document: jsonClone({ id, uri, title, metadata }), score };
}

export function createMemoryDocumentStore(now: () => number): DocumentStore {
  const collections = new Map<string, MemoryCollection>();

  const view = (c: MemoryCollection): Collection => ({
    name: c.name,
    metadata: jsonClone(c.metadata),
    dimensions: c.dimensions,
    documentCount: c.documents.size,
    chunkCount: [...c.documents.values()].reduce((n, d) => n + d.chunks.length, 0),
    createdAt: c.createdAt,
  });
  const mustGet = (name: string) => {
    const c = collections.get(name);
    if (!c) throw new ConduitError('not_found', `Collection ${name} not found`);
    return c;
  };
  const candidates = (c: MemoryCollection, filter: unknown) => {
    const parsed = filter === undefined ? undefined : parseFilter(filter);
    const all = [...c.documents.values()].flatMap((d) => d.chunks);
    return {
      all,
      pass: (chunk: MemoryChunk) => !parsed || matchesFilter(chunk.record.filterMetadata, parsed),
    };
  };

  return {
    async createCollection(input) {
      const name = checkNonEmpty(input.name, 'name');
      if (collections.has(name)) throw new ConduitError('conflict', `Collection ${name} already exists`);
      const c: MemoryCollection = {
        name,
        metadata: jsonClone(input.metadata ?? {}, 'metadata'),
        dimensions: checkDimensionsSetting(input.dimensions),
        createdAt: now(),
        documents: new Map(),
      };
      collections.set(name, c);
      return view(c);
    },
    async getCollection(name) {
      const c = collections.get(name);
      return c && view(c);
    },
    async listCollections() {
      return [...collections.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map(view);
    },
    async deleteCollection(name) {
      return collections.delete(name);
    },
    async upsertDocument(collection, input, chunkInputs) {
      const doc = toDocumentRecord(input);
      const records = toChunkRecords(doc, chunkInputs);
      const c = mustGet(collection);
      const dimensions = checkDimensions(c.dimensions, records);
      for (const other of c.documents.values()) {
        if (other.record.id === doc.id) continue;
        const clash = other.chunks.find((k) => records.some((r) => r.id === k.record.id));
        if (clash)
          throw new ConduitError('conflict', `Chunk id ${clash.record.id} already exists in ${collection}`);
      }
      const at = now();
      const stored: MemoryDocument = {
        record: doc,
        createdAt: c.documents.get(doc.id)?.createdAt ?? at,
        updatedAt: at,
        chunks: [],
      };
      stored.chunks = records.map((record) => ({
        ...bm25Entry(record.text),
        record,
        document: stored,
        norm: record.embedding ? vectorNorm(record.embedding) : 0,
      }));
      c.dimensions = dimensions;
      c.documents.set(doc.id, stored);
      return summary(collection, stored);
    },
    async getDocument(collection, id) {
      const doc = collections.get(collection)?.documents.get(id);
      return doc && { ...summary(collection, doc), text: doc.record.text };
    },
    async getChunks(collection, documentId) {
      const doc = collections.get(collection)?.documents.get(documentId);
      return (doc?.chunks ?? []).map(({ record }) => {
        const { filterMetadata: _f, embedding, ...rest } = record;
        return { ...jsonClone(rest), embedding: embedding && new Float32Array(embedding) };
      });
    },
    async listDocuments(collection) {
      const c = mustGet(collection);
      return [...c.documents.values()]
        .sort((a, b) => (a.record.id < b.record.id ? -1 : 1))
        .map((d) => summary(collection, d));
    },
    async deleteDocument(collection, id) {
      return collections.get(collection)?.documents.delete(id) ?? false;
    },
    async searchText(collection, query, options = {}) {
      const c = mustGet(collection);
      const { all, pass } = candidates(c, options.filter);
      const scores = bm25Scores(all, query);
      return [...scores]
        .filter(([chunk]) => pass(chunk))
        .sort(([a, x], [b, y]) => y - x || byDocumentThenOrdinal(a, b))
        .slice(0, searchLimit(options.k))
        .map(([chunk, score]) => hit(chunk, score));
    },
    async searchVector(collection, vector, options = {}) {
      const c = mustGet(collection);
      const { all, pass } = candidates(c, options.filter);
      const query = checkQueryVector(vector, c.dimensions);
      const queryNorm = vectorNorm(query);
      const best = new TopK<MemoryChunk>(searchLimit(options.k));
      for (const chunk of all) {
        if (!chunk.record.embedding || !pass(chunk)) continue;
        best.offer(cosine(query, queryNorm, chunk.record.embedding, chunk.norm), chunk);
      }
      return best.results().map(({ score, item }) => hit(item, score));
    },
  };
}
