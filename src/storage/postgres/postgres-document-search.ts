/**
 * Search half of the Postgres `DocumentStore`.
 *
 * Text: Okapi BM25 computed in SQL (k1 = 1.2, b = 0.75, idf = ln(1 + (N - df + 0.5) / (df + 0.5)),
 * as Lucene does), with N, df and the average length taken over the searched collection. Chunks are
 * found through the GIN index on their tsvector; term frequencies come from the tsvector positions.
 * `ts_rank_cd` is not used: it ignores how rare a word is across the collection, which is most of
 * what makes BM25 rank well.
 *
 * Vectors: exact cosine similarity, either in the database with pgvector (`<=>` over the stored
 * float4[] cast to `vector(n)`) or, without the extension, as a scan in JavaScript that reads ids and
 * vectors page by page inside one snapshot and then loads the k winners.
 */
import { ConduitError } from '../../core/errors.js';
import type { ChunkHit, DocumentStore, StoredChunk } from '../ports/document-store.js';
import { checkQueryVector, searchLimit } from '../shared/document-records.js';
import { parseFilter } from '../shared/metadata-filter-match.js';
import { uniqueQueryTerms } from '../shared/text-terms.js';
import { cosine, TopK, vectorNorm } from '../shared/vectors.js';
import type { PostgresContext } from './postgres-context.js';
import { compilePostgresFilter } from './postgres-filter.js';
import type { VectorSupport } from './postgres-vector-support.js';
import type { SqlQueryable } from './sql-client.js';

export interface ChunkRow {
  id: number;
  chunk_id: string;
  doc_id: string;
  ordinal: number;
  text: string;
  page: number | null;
  start_offset: number | null;
  end_offset: number | null;
  heading_path: string[];
  metadata: Record<string, unknown>;
  embedding?: number[] | null;
}

interface HitRow extends ChunkRow {
  uri: string | null;
  title: string | null;
  doc_metadata: Record<string, unknown>;
  score: number;
}

export function chunkFromRow(row: ChunkRow): StoredChunk {
  return {
    id: row.chunk_id,
    documentId: row.doc_id,
    ordinal: row.ordinal,
    text: row.text,
    page: row.page,
    start: row.start_offset,
    end: row.end_offset,
    headingPath: row.heading_path,
    metadata: row.metadata,
    embedding: row.embedding ? Float32Array.from(row.embedding) : null,
  };
}

const hitFromRow = (row: HitRow): ChunkHit => {
  const { embedding: _embedding, ...chunk } = chunkFromRow({ ...row, embedding: null });
  return {
    chunk,
    document: { id: row.doc_id, uri: row.uri, title: row.title, metadata: row.doc_metadata },
    score: Number(row.score),
  };
};

const HIT_COLUMNS = `k.id, k.chunk_id, d.doc_id, k.ordinal, k.text, k.page, k.start_offset, k.end_offset,
  k.heading_path, k.metadata, d.uri, d.title, d.metadata AS doc_metadata`;

/** Rows read per page by the JavaScript vector scan: bounds memory on large collections. */
const SCAN_PAGE = 2000;

/** Postgres prints float4[] as `{1,0.5,-2}`; splitting it is much faster than the driver's parser. */
const parseVector = (text: string) => Float32Array.from(text.slice(1, -1).split(','), Number);

export function createPostgresSearch(
  { client, s }: PostgresContext,
  vectors: VectorSupport,
): Pick<DocumentStore, 'searchText' | 'searchVector'> {
  const config = `'${s}.conduit_english'::regconfig`;
  const requireCollection = async (name: string) => {
    const { rows } = await client.query<{ id: number; dimensions: number | null }>(
      `SELECT id, dimensions FROM ${s}.collections WHERE name = $1`,
      [name],
    );
    if (!rows[0]) throw new ConduitError('not_found', `Collection ${name} not found`);
    return rows[0];
  };
  const hitsById = async (q: SqlQueryable, winners: { score: number; item: number }[]) => {
    if (winners.length === 0) return [];
    const { rows } = await q.query<HitRow>(
      `SELECT ${HIT_COLUMNS}, 0 AS score FROM ${s}.chunks k JOIN ${s}.documents d ON d.id = k.document_id
       WHERE k.id = ANY($1::bigint[])`,
      [winners.map((w) => w.item)],
    );
    const byId = new Map(rows.map((row) => [Number(row.id), row]));
    return winners.flatMap(({ score, item }) => {
      const row = byId.get(item);
      return row ? [hitFromRow({ ...row, score })] : [];
    });
  };

  return {
    async searchText(name, query, options = {}) {
      const k = searchLimit(options.k);
      const filter = options.filter && parseFilter(options.filter);
      const coll = await requireCollection(name);
      const terms = uniqueQueryTerms(query);
      if (terms.length === 0) return [];
      // Terms are letters and digits only, so joining them with | cannot form other tsquery syntax.
      const params: unknown[] = [coll.id, terms.join(' '), terms.join(' | ')];
      const condition = compilePostgresFilter(filter, 'k.filter_metadata', params);
      const { rows } = await client.query<HitRow>(
        `WITH terms AS (
          SELECT DISTINCT lexeme FROM unnest(tsvector_to_array(to_tsvector(${config}, $2))) AS lexeme),
        stats AS (SELECT count(*)::float8 AS n, coalesce(avg(token_count), 0)::float8 AS avgdl
          FROM ${s}.chunks WHERE collection_id = $1),
        idf AS (SELECT t.lexeme, ln(1 + (st.n - df.n + 0.5) / (df.n + 0.5)) AS idf FROM terms t CROSS JOIN stats st
          CROSS JOIN LATERAL (SELECT count(*)::float8 AS n FROM ${s}.chunks c
            WHERE c.collection_id = $1 AND c.tsv @@ quote_literal(t.lexeme)::tsquery) df),
        scored AS (SELECT k.id, sum(i.idf * u.tf * 2.2 / (u.tf + 1.2 * (0.25 + 0.75 * k.token_count / st.avgdl))) AS score
          FROM ${s}.chunks k CROSS JOIN stats st
          CROSS JOIN LATERAL (SELECT lexeme, cardinality(positions)::float8 AS tf FROM unnest(k.tsv)) u
          JOIN idf i ON i.lexeme = u.lexeme
          WHERE k.collection_id = $1 AND k.tsv @@ to_tsquery(${config}, $3) AND ${condition}
          GROUP BY k.id)
        SELECT ${HIT_COLUMNS}, sc.score FROM scored sc JOIN ${s}.chunks k ON k.id = sc.id
          JOIN ${s}.documents d ON d.id = k.document_id
        ORDER BY sc.score DESC, d.doc_id COLLATE "C", k.ordinal LIMIT ${k}`,
        params,
      );
      return rows.map(hitFromRow);
    },

    async searchVector(name, vector, options = {}) {
      const k = searchLimit(options.k);
      const filter = options.filter && parseFilter(options.filter);
      const coll = await requireCollection(name);
      const query = checkQueryVector(vector, coll.dimensions);
      const queryNorm = vectorNorm(query);
      if (coll.dimensions === null) return [];
      const params: unknown[] = [coll.id];
      const condition = compilePostgresFilter(filter, 'k.filter_metadata', params);

      if (vectors.mode === 'pgvector') {
        const x = vectors.extensionSchema;
        const type = `${x}.vector(${coll.dimensions})`;
        params.push(`[${Array.from(query).join(',')}]`, queryNorm);
        const [v, qn] = [`$${params.length - 1}`, `$${params.length}`];
        // pgvector gives NaN for a zero vector; the port (and the JS scan) scores it 0.
        const { rows } = await client.query<HitRow>(
          `SELECT ${HIT_COLUMNS}, CASE WHEN k.embedding_norm = 0 OR ${qn}::float8 = 0 THEN 0
             ELSE 1 - (k.embedding::${type} OPERATOR(${x}.<=>) ${v}::${type}) END AS score
           FROM ${s}.chunks k JOIN ${s}.documents d ON d.id = k.document_id
           WHERE k.collection_id = $1 AND k.embedding IS NOT NULL AND ${condition}
           ORDER BY score DESC, k.id LIMIT ${k}`,
          params,
        );
        return rows.map(hitFromRow);
      }

      return client.transaction(async (tx) => {
        // One snapshot for every page and the final load, so concurrent upserts cannot skew it.
        await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
        const best = new TopK<number>(k);
        params.push(0);
        const after = `$${params.length}`;
        for (;;) {
          const { rows } = await tx.query<{ id: number; embedding_norm: number; embedding: string }>(
            `SELECT k.id, k.embedding_norm, k.embedding::text AS embedding FROM ${s}.chunks k
             WHERE k.collection_id = $1 AND k.embedding IS NOT NULL AND ${condition} AND k.id > ${after}
             ORDER BY k.id LIMIT ${SCAN_PAGE}`,
            params,
          );
          for (const row of rows) {
            best.offer(
              cosine(query, queryNorm, parseVector(row.embedding), row.embedding_norm),
              Number(row.id),
            );
          }
          if (rows.length < SCAN_PAGE) break;
          params[params.length - 1] = Number(rows[rows.length - 1]?.id);
        }
        return hitsById(tx, best.results());
      });
    },
  };
}
