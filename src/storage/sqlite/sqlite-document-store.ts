/**
 * SQLite adapter of `DocumentStore`: documents and chunks in plain tables, chunk text indexed by an
 * FTS5 external-content table kept in step by triggers, embeddings as float32 blobs.
 */
import { ConduitError } from '../../core/errors.js';
import type { Collection, DocumentStore, DocumentSummary, StoredDocument } from '../ports/document-store.js';
import { checkNonEmpty } from '../shared/checks.js';
import {
  type ChunkRecord,
  checkDimensions,
  checkDimensionsSetting,
  type DocumentRecord,
  toChunkRecords,
  toDocumentRecord,
} from '../shared/document-records.js';
import { fromJson, toJson } from '../shared/json.js';
import { vectorNorm, vectorToBlob } from '../shared/vectors.js';
import { mapSqliteError, type SqliteDatabase } from './sqlite-database.js';
import { type ChunkRow, chunkFromRow, createSqliteSearch } from './sqlite-document-search.js';

interface CollectionRow {
  id: number;
  name: string;
  metadata: string;
  dimensions: number | null;
  created_at: number;
  document_count: number;
  chunk_count: number;
}

interface DocumentRow {
  doc_id: string;
  collection: string;
  uri: string | null;
  title: string | null;
  content_hash: string;
  metadata: string;
  text?: string;
  chunk_count: number;
  created_at: number;
  updated_at: number;
}

const collectionFromRow = (row: CollectionRow): Collection => ({
  name: row.name,
  metadata: fromJson<Record<string, unknown>>(row.metadata, {}),
  dimensions: row.dimensions,
  documentCount: row.document_count,
  chunkCount: row.chunk_count,
  createdAt: row.created_at,
});

const summaryFromRow = (row: DocumentRow): DocumentSummary => ({
  id: row.doc_id,
  collection: row.collection,
  uri: row.uri,
  title: row.title,
  contentHash: row.content_hash,
  metadata: fromJson<Record<string, unknown>>(row.metadata, {}),
  chunkCount: row.chunk_count,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const COLLECTION_SELECT = `SELECT c.*,
  (SELECT COUNT(*) FROM documents d WHERE d.collection_id = c.id) AS document_count,
  (SELECT COUNT(*) FROM chunks k WHERE k.collection_id = c.id) AS chunk_count FROM collections c`;
const DOCUMENT_SELECT = `SELECT d.doc_id, c.name AS collection, d.uri, d.title, d.content_hash, d.metadata,
  d.created_at, d.updated_at, (SELECT COUNT(*) FROM chunks k WHERE k.document_id = d.id) AS chunk_count
  FROM documents d JOIN collections c ON c.id = d.collection_id WHERE c.name = ?`;

export function createSqliteDocumentStore(db: SqliteDatabase, now: () => number): DocumentStore {
  const insertCollection = db.prepare(
    'INSERT INTO collections (name, metadata, dimensions, created_at) VALUES (?, ?, ?, ?)',
  );
  const collectionByName = db.prepare<[string], CollectionRow>(`${COLLECTION_SELECT} WHERE c.name = ?`);
  const allCollections = db.prepare<[], CollectionRow>(`${COLLECTION_SELECT} ORDER BY c.name`);
  const removeCollection = db.prepare('DELETE FROM collections WHERE name = ?');
  const collectionIds = db.prepare<[string], { id: number; dimensions: number | null }>(
    'SELECT id, dimensions FROM collections WHERE name = ?',
  );
  const setDimensions = db.prepare('UPDATE collections SET dimensions = ? WHERE id = ?');
  const findDocument = db.prepare<[number, string], { id: number; created_at: number }>(
    'SELECT id, created_at FROM documents WHERE collection_id = ? AND doc_id = ?',
  );
  const insertDocument = db.prepare(`INSERT INTO documents (collection_id, doc_id, uri, title, content_hash,
    metadata, text, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const updateDocument = db.prepare(`UPDATE documents SET uri = ?, title = ?, content_hash = ?, metadata = ?,
    text = ?, updated_at = ? WHERE id = ?`);
  const removeChunks = db.prepare('DELETE FROM chunks WHERE document_id = ?');
  const removeDocument = db.prepare('DELETE FROM documents WHERE id = ?');
  const insertChunk =
    db.prepare(`INSERT INTO chunks (document_id, collection_id, chunk_id, ordinal, text, page,
    start_offset, end_offset, heading_path, metadata, filter_metadata, embedding, embedding_norm)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const oneDocument = db.prepare<[string, string], DocumentRow>(`${DOCUMENT_SELECT} AND d.doc_id = ?`);
  const documentText = db.prepare<[string, string], { text: string }>(
    'SELECT d.text FROM documents d JOIN collections c ON c.id = d.collection_id WHERE c.name = ? AND d.doc_id = ?',
  );
  const allDocuments = db.prepare<[string], DocumentRow>(`${DOCUMENT_SELECT} ORDER BY d.doc_id`);
  const chunksOf = db.prepare<[string, string], ChunkRow>(`SELECT k.*, d.doc_id FROM chunks k
    JOIN documents d ON d.id = k.document_id JOIN collections c ON c.id = d.collection_id
    WHERE c.name = ? AND d.doc_id = ? ORDER BY k.ordinal`);

  const requireCollection = (name: string) => {
    const row = collectionIds.get(name);
    if (!row) throw new ConduitError('not_found', `Collection ${name} not found`);
    return row;
  };

  const upsert = db.transaction((collection: string, doc: DocumentRecord, chunks: ChunkRecord[]) => {
    const coll = requireCollection(collection);
    const dimensions = checkDimensions(coll.dimensions, chunks);
    if (dimensions !== coll.dimensions) setDimensions.run(dimensions, coll.id);
    const at = now();
    const meta = toJson(doc.metadata, 'metadata');
    const existing = findDocument.get(coll.id, doc.id);
    let rowId: number;
    if (existing) {
      removeChunks.run(existing.id);
      updateDocument.run(doc.uri, doc.title, doc.contentHash, meta, doc.text, at, existing.id);
      rowId = existing.id;
    } else {
      rowId = Number(
        insertDocument.run(coll.id, doc.id, doc.uri, doc.title, doc.contentHash, meta, doc.text, at, at)
          .lastInsertRowid,
      );
    }
    for (const c of chunks) {
      insertChunk.run(
        rowId,
        coll.id,
        c.id,
        c.ordinal,
        c.text,
        c.page,
        c.start,
        c.end,
        JSON.stringify(c.headingPath),
        JSON.stringify(c.metadata),
        JSON.stringify(c.filterMetadata),
        c.embedding ? vectorToBlob(c.embedding) : null,
        c.embedding ? vectorNorm(c.embedding) : null,
      );
    }
    return summaryFromRow(oneDocument.get(collection, doc.id) as DocumentRow);
  });

  const removeOne = db.transaction((collection: string, id: string) => {
    const coll = collectionIds.get(collection);
    const doc = coll && findDocument.get(coll.id, id);
    if (!doc) return false;
    removeChunks.run(doc.id);
    removeDocument.run(doc.id);
    return true;
  });

  return {
    async createCollection(input) {
      const name = checkNonEmpty(input.name, 'name');
      const meta = toJson(input.metadata ?? {}, 'metadata');
      try {
        insertCollection.run(name, meta, checkDimensionsSetting(input.dimensions), now());
      } catch (error) {
        throw mapSqliteError(error, `Collection ${name}`);
      }
      return collectionFromRow(collectionByName.get(name) as CollectionRow);
    },
    async getCollection(name) {
      const row = collectionByName.get(name);
      return row ? collectionFromRow(row) : undefined;
    },
    async listCollections() {
      return allCollections.all().map(collectionFromRow);
    },
    async deleteCollection(name) {
      return removeCollection.run(name).changes > 0;
    },
    async upsertDocument(collection, document, chunks) {
      const doc = toDocumentRecord(document);
      const records = toChunkRecords(doc, chunks);
      try {
        return upsert.immediate(collection, doc, records);
      } catch (error) {
        throw mapSqliteError(error, `A chunk id of document ${doc.id} in collection ${collection}`);
      }
    },
    async getDocument(collection, id): Promise<StoredDocument | undefined> {
      const row = oneDocument.get(collection, id);
      if (!row) return undefined;
      return { ...summaryFromRow(row), text: documentText.get(collection, id)?.text ?? '' };
    },
    async getChunks(collection, documentId) {
      return chunksOf.all(collection, documentId).map((row) => chunkFromRow(row, true));
    },
    async listDocuments(collection) {
      requireCollection(collection);
      return allDocuments.all(collection).map(summaryFromRow);
    },
    async deleteDocument(collection, id) {
      return removeOne.immediate(collection, id);
    },
    ...createSqliteSearch(db),
  };
}
