/**
 * PostgreSQL adapter of `DocumentStore`: documents and chunks in plain tables, each chunk with a
 * tsvector for full text and its embedding as float4[]. An upsert is one transaction. Text is folded
 * (lowercased, accents removed) in JavaScript before Postgres stems it, so search needs no
 * `unaccent` extension and folds exactly like the other adapters.
 */
import { ConduitError } from '../../core/errors.js';
import type { Collection, DocumentStore, DocumentSummary } from '../ports/document-store.js';
import { checkNonEmpty } from '../shared/checks.js';
import {
  type ChunkRecord,
  checkDimensions,
  checkDimensionsSetting,
  toChunkRecords,
  toDocumentRecord,
} from '../shared/document-records.js';
import { toJson } from '../shared/json.js';
import { textTerms } from '../shared/text-terms.js';
import { vectorNorm } from '../shared/vectors.js';
import { insertRows } from './insert-rows.js';
import type { PostgresContext } from './postgres-context.js';
import { type ChunkRow, chunkFromRow, createPostgresSearch } from './postgres-document-search.js';
import { mapPostgresError } from './postgres-errors.js';
import type { VectorSupport } from './postgres-vector-support.js';
import type { SqlQueryable } from './sql-client.js';

interface CollectionRow {
  name: string;
  metadata: Record<string, unknown>;
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
  metadata: Record<string, unknown>;
  chunk_count: number;
  created_at: number;
  updated_at: number;
}

const collectionFromRow = (row: CollectionRow): Collection => ({
  name: row.name,
  metadata: row.metadata,
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
  metadata: row.metadata,
  chunkCount: row.chunk_count,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const CHUNK_COLUMNS = [
  'document_id',
  'collection_id',
  'chunk_id',
  'ordinal',
  'text',
  'page',
  'start_offset',
  'end_offset',
  'heading_path',
  'metadata',
  'filter_metadata',
  'embedding',
  'embedding_norm',
  'tsv',
  'token_count',
];

function chunkCells(documentId: number, collectionId: number, c: ChunkRecord): unknown[] {
  const terms = textTerms(c.text);
  return [
    documentId,
    collectionId,
    c.id,
    c.ordinal,
    c.text,
    c.page,
    c.start,
    c.end,
    JSON.stringify(c.headingPath),
    JSON.stringify(c.metadata),
    JSON.stringify(c.filterMetadata),
    c.embedding ? Array.from(c.embedding) : null,
    c.embedding ? vectorNorm(c.embedding) : null,
    terms.join(' '),
    terms.length,
  ];
}

export function createPostgresDocumentStore(ctx: PostgresContext, vectors: VectorSupport): DocumentStore {
  const { client, s, now } = ctx;
  const collectionSelect = `SELECT c.name, c.metadata, c.dimensions, c.created_at,
    (SELECT count(*) FROM ${s}.documents d WHERE d.collection_id = c.id)::int AS document_count,
    (SELECT count(*) FROM ${s}.chunks k WHERE k.collection_id = c.id)::int AS chunk_count FROM ${s}.collections c`;
  const documentSelect = `SELECT d.doc_id, c.name AS collection, d.uri, d.title, d.content_hash, d.metadata,
    d.created_at, d.updated_at, (SELECT count(*) FROM ${s}.chunks k WHERE k.document_id = d.id)::int AS chunk_count
    FROM ${s}.documents d JOIN ${s}.collections c ON c.id = d.collection_id WHERE c.name = $1`;

  const oneDocument = async (q: SqlQueryable, collection: string, id: string) =>
    (await q.query<DocumentRow>(`${documentSelect} AND d.doc_id = $2`, [collection, id])).rows[0];

  /** Fixes the collection's dimensions on its first embedding; a racing writer re-checks against the winner. */
  const settleDimensions = async (
    tx: SqlQueryable,
    coll: { id: number; dimensions: number | null },
    chunks: ChunkRecord[],
  ) => {
    const dimensions = checkDimensions(coll.dimensions, chunks);
    if (coll.dimensions !== null || dimensions === null) return;
    const set = await tx.query(
      `UPDATE ${s}.collections SET dimensions = $2 WHERE id = $1 AND dimensions IS NULL`,
      [coll.id, dimensions],
    );
    if (set.rowCount > 0) return;
    const { rows } = await tx.query<{ dimensions: number | null }>(
      `SELECT dimensions FROM ${s}.collections WHERE id = $1`,
      [coll.id],
    );
    checkDimensions(rows[0]?.dimensions ?? null, chunks);
  };

  const getCollection = async (name: string) => {
    const { rows } = await client.query<CollectionRow>(`${collectionSelect} WHERE c.name = $1`, [name]);
    return rows[0] ? collectionFromRow(rows[0]) : undefined;
  };

  return {
    async createCollection(input) {
      const name = checkNonEmpty(input.name, 'name');
      const meta = toJson(input.metadata ?? {}, 'metadata');
      try {
        await client.query(
          `INSERT INTO ${s}.collections (name, metadata, dimensions, created_at) VALUES ($1, $2, $3, $4)`,
          [name, meta, checkDimensionsSetting(input.dimensions), now()],
        );
      } catch (error) {
        throw mapPostgresError(error, `Collection ${name}`);
      }
      return (await getCollection(name)) as Collection;
    },
    getCollection,
    async listCollections() {
      // COLLATE "C": names sort by bytes, as SQLite and the memory adapter sort them.
      const { rows } = await client.query<CollectionRow>(`${collectionSelect} ORDER BY c.name COLLATE "C"`);
      return rows.map(collectionFromRow);
    },
    async deleteCollection(name) {
      return (await client.query(`DELETE FROM ${s}.collections WHERE name = $1`, [name])).rowCount > 0;
    },

    async upsertDocument(collection, document, chunks) {
      const doc = toDocumentRecord(document);
      const records = toChunkRecords(doc, chunks);
      try {
        return await client.transaction(async (tx) => {
          // KEY SHARE keeps the collection from being deleted mid-write without serialising writers.
          const { rows } = await tx.query<{ id: number; dimensions: number | null }>(
            `SELECT id, dimensions FROM ${s}.collections WHERE name = $1 FOR KEY SHARE`,
            [collection],
          );
          const coll = rows[0];
          if (!coll) throw new ConduitError('not_found', `Collection ${collection} not found`);
          await settleDimensions(tx, coll, records);
          const at = now();
          const saved = await tx.query<{ id: number }>(
            `INSERT INTO ${s}.documents (collection_id, doc_id, uri, title, content_hash, metadata, text,
               created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
             ON CONFLICT (collection_id, doc_id) DO UPDATE SET uri = excluded.uri, title = excluded.title,
               content_hash = excluded.content_hash, metadata = excluded.metadata, text = excluded.text,
               updated_at = excluded.updated_at
             RETURNING id`,
            [
              coll.id,
              doc.id,
              doc.uri,
              doc.title,
              doc.contentHash,
              toJson(doc.metadata, 'metadata'),
              doc.text,
              at,
            ],
          );
          const documentId = Number(saved.rows[0]?.id);
          await tx.query(`DELETE FROM ${s}.chunks WHERE document_id = $1`, [documentId]);
          await insertRows(
            tx,
            `${s}.chunks`,
            CHUNK_COLUMNS,
            records.map((c) => chunkCells(documentId, Number(coll.id), c)),
            { expressions: { tsv: (p) => `to_tsvector('${s}.conduit_english'::regconfig, ${p})` } },
          );
          return summaryFromRow((await oneDocument(tx, collection, doc.id)) as DocumentRow);
        });
      } catch (error) {
        throw mapPostgresError(error, `A chunk id of document ${doc.id} in collection ${collection}`);
      }
    },
    async getDocument(collection, id) {
      const row = await oneDocument(client, collection, id);
      if (!row) return undefined;
      const { rows } = await client.query<{ text: string }>(
        `SELECT d.text FROM ${s}.documents d JOIN ${s}.collections c ON c.id = d.collection_id
         WHERE c.name = $1 AND d.doc_id = $2`,
        [collection, id],
      );
      return { ...summaryFromRow(row), text: rows[0]?.text ?? '' };
    },
    async getChunks(collection, documentId) {
      const { rows } = await client.query<ChunkRow>(
        `SELECT k.id, k.chunk_id, d.doc_id, k.ordinal, k.text, k.page, k.start_offset, k.end_offset,
           k.heading_path, k.metadata, k.embedding FROM ${s}.chunks k
         JOIN ${s}.documents d ON d.id = k.document_id JOIN ${s}.collections c ON c.id = d.collection_id
         WHERE c.name = $1 AND d.doc_id = $2 ORDER BY k.ordinal`,
        [collection, documentId],
      );
      return rows.map(chunkFromRow);
    },
    async listDocuments(collection) {
      if (!(await getCollection(collection))) {
        throw new ConduitError('not_found', `Collection ${collection} not found`);
      }
      const { rows } = await client.query<DocumentRow>(`${documentSelect} ORDER BY d.doc_id COLLATE "C"`, [
        collection,
      ]);
      return rows.map(summaryFromRow);
    },
    async deleteDocument(collection, id) {
      const { rowCount } = await client.query(
        `DELETE FROM ${s}.documents WHERE doc_id = $2
         AND collection_id = (SELECT id FROM ${s}.collections WHERE name = $1)`,
        [collection, id],
      );
      return rowCount > 0;
    },
    ...createPostgresSearch(ctx, vectors),
  };
}
