/**
 * Search half of the SQLite `DocumentStore`: BM25 through FTS5, and exact cosine similarity by
 * scanning float32 blobs in JS. The scan reads only ids and vectors, then loads the k winners; a
 * sqlite-vec index can replace it here without touching the port.
 */
import { ConduitError } from '../../core/errors.js';
import type { ChunkHit, DocumentStore, StoredChunk } from '../ports/document-store.js';
import { checkQueryVector, searchLimit } from '../shared/document-records.js';
import { fromJson } from '../shared/json.js';
import { parseFilter } from '../shared/metadata-filter-match.js';
import { ftsMatchExpression } from '../shared/text-terms.js';
import { blobToVector, cosine, TopK, vectorNorm } from '../shared/vectors.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { compileFilter } from './sqlite-filter.js';

export interface ChunkRow {
  id: number;
  chunk_id: string;
  doc_id: string;
  ordinal: number;
  text: string;
  page: number | null;
  start_offset: number | null;
  end_offset: number | null;
  heading_path: string;
  metadata: string;
  embedding?: Buffer | null;
}

interface HitRow extends ChunkRow {
  uri: string | null;
  title: string | null;
  doc_metadata: string;
  score: number;
}

export function chunkFromRow(row: ChunkRow, withEmbedding: true): StoredChunk;
export function chunkFromRow(row: ChunkRow, withEmbedding: false): Omit<StoredChunk, 'embedding'>;
export function chunkFromRow(row: ChunkRow, withEmbedding: boolean) {
  const chunk = {
    id: row.chunk_id,
    documentId: row.doc_id,
    ordinal: row.ordinal,
    text: row.text,
    page: row.page,
    start: row.start_offset,
    end: row.end_offset,
    headingPath: fromJson<string[]>(row.heading_path, []),
    metadata: fromJson<Record<string, unknown>>(row.metadata, {}),
  };
  if (!withEmbedding) return chunk;
  // Copy: the view would otherwise alias the driver's buffer.
  return { ...chunk, embedding: row.embedding ? new Float32Array(blobToVector(row.embedding)) : null };
}

const hitFromRow = (row: HitRow): ChunkHit => ({
  chunk: chunkFromRow(row, false),
  document: { id: row.doc_id, uri: row.uri, title: row.title, metadata: fromJson(row.doc_metadata, {}) },
  score: row.score,
});

const HIT_COLUMNS = `k.id, k.chunk_id, d.doc_id, k.ordinal, k.text, k.page, k.start_offset, k.end_offset,
  k.heading_path, k.metadata, d.uri, d.title, d.metadata AS doc_metadata`;

export function createSqliteSearch(db: SqliteDatabase): Pick<DocumentStore, 'searchText' | 'searchVector'> {
  const collection = db.prepare<[string], { id: number; dimensions: number | null }>(
    'SELECT id, dimensions FROM collections WHERE name = ?',
  );
  const requireCollection = (name: string) => {
    const row = collection.get(name);
    if (!row) throw new ConduitError('not_found', `Collection ${name} not found`);
    return row;
  };

  return {
    async searchText(name, query, options = {}) {
      const k = searchLimit(options.k);
      const filter = compileFilter(options.filter && parseFilter(options.filter), 'k.filter_metadata');
      const coll = requireCollection(name);
      const match = ftsMatchExpression(query);
      if (!match) return [];
      // bm25() is lower-is-better; negate so every search in Conduit ranks higher scores first.
      const rows = db
        .prepare<unknown[], HitRow>(
          `SELECT ${HIT_COLUMNS}, -bm25(chunks_fts) AS score FROM chunks_fts
           JOIN chunks k ON k.id = chunks_fts.rowid JOIN documents d ON d.id = k.document_id
           WHERE chunks_fts MATCH ? AND k.collection_id = ? AND ${filter.sql}
           ORDER BY score DESC, d.doc_id, k.ordinal LIMIT ${k}`,
        )
        .all(match, coll.id, ...filter.params);
      return rows.map(hitFromRow);
    },

    async searchVector(name, vector, options = {}) {
      const k = searchLimit(options.k);
      const filter = compileFilter(options.filter && parseFilter(options.filter), 'k.filter_metadata');
      const coll = requireCollection(name);
      const query = checkQueryVector(vector, coll.dimensions);
      const queryNorm = vectorNorm(query);
      const best = new TopK<number>(k);
      const scan = db.prepare<unknown[], { id: number; embedding: Buffer; embedding_norm: number }>(
        `SELECT k.id, k.embedding, k.embedding_norm FROM chunks k
         WHERE k.collection_id = ? AND k.embedding IS NOT NULL AND ${filter.sql} ORDER BY k.id`,
      );
      for (const row of scan.iterate(coll.id, ...filter.params)) {
        best.offer(cosine(query, queryNorm, blobToVector(row.embedding), row.embedding_norm), row.id);
      }
      const winners = best.results();
      if (winners.length === 0) return [];
      const rows = db
        .prepare<unknown[], HitRow>(
          `SELECT ${HIT_COLUMNS}, 0 AS score FROM chunks k JOIN documents d ON d.id = k.document_id
           WHERE k.id IN (${winners.map(() => '?').join(',')})`,
        )
        .all(...winners.map((w) => w.item));
      const byId = new Map(rows.map((row) => [row.id, row]));
      return winners.flatMap(({ score, item }) => {
        const row = byId.get(item);
        return row ? [hitFromRow({ ...row, score })] : [];
      });
    },
  };
}
