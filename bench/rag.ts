/**
 * bench:rag — retrieval quality and speed of Conduit's RAG pipeline on the shared data sets:
 * Cranfield (1400 abstracts, 225 queries, graded judgments) and the SQuAD v2.0 dev subset's retrieval
 * set (173 paragraphs, 705 answerable questions). For each: ingestion throughput (documents/s,
 * chunks/s) through `ingest()` into a fresh SQLite file, then every query through `retrieve()`
 * ranked by document: nDCG@10 (linear gain), Recall@10, MRR@10 and query latency p50/p99.
 *
 * Modes: BM25 always. Dense and hybrid need an embedding model: set CONDUIT_BENCH_EMBEDDING_MODEL to
 * provider:model or a conduit.yaml alias. Without one those rows are skipped and the bench says so;
 * the `*` rows then run dense/hybrid with hashed word+trigram vectors — a lexical stand-in that
 * exercises the vector path and its latency, not a semantic model, so never quote them as quality.
 *
 * Baseline block (clearly separated): our BM25 against textbook Okapi BM25 and, when installed,
 * wink-bm25-text-search, all over the *same tokens* — FTS5's own tokenizer output (unicode61,
 * remove_diacritics 2, Porter stemming) read back through fts5vocab — at document granularity.
 *
 * One file (past 300 lines) so `npm run bench:rag` has nothing else to find; sections are marked.
 * Set CONDUIT_DATA to point elsewhere than ../shared/data.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { EmbeddingModel } from '../src/core/language-model.js';
import { encodingTokenizer } from '../src/core/tokens/encodings.js';
import { ingest } from '../src/rag/ingest/ingest.js';
import { retrieve } from '../src/rag/retrieval/retrieve.js';
import type { RetrievalMode } from '../src/rag/retrieval/retrieved-chunk.js';
import { openConduit } from '../src/runtime/open-conduit.js';
import { ftsMatchExpression } from '../src/storage/shared/text-terms.js';
import { createSqliteStorage } from '../src/storage/sqlite/sqlite-storage.js';
import { createHashingEmbedder } from '../test/rag/support/hashing-embedder.js';

const DATA = process.env.CONDUIT_DATA ?? fileURLToPath(new URL('../../shared/data/', import.meta.url));

interface Dataset {
  name: string;
  dir: string;
}
const DATASETS: Dataset[] = [
  { name: 'Cranfield', dir: join(DATA, 'cranfield') },
  { name: 'SQuAD v2 subset (retrieval)', dir: join(DATA, 'squad-v2-dev-subset', 'retrieval') },
];

type Qrels = Map<string, Map<string, number>>;
interface Query {
  id: string;
  text: string;
}

// ── data ────────────────────────────────────────────────────────────────────────────────────────
function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

function readQrels(path: string): Qrels {
  const qrels: Qrels = new Map();
  for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
    const [q, d, s] = line.split('\t');
    if (!q || !d || Number(s) <= 0) continue;
    if (!qrels.has(q)) qrels.set(q, new Map());
    qrels.get(q)!.set(d, Number(s));
  }
  return qrels;
}

// ── metrics ─────────────────────────────────────────────────────────────────────────────────────
interface Scores {
  ndcg: number;
  recall: number;
  mrr: number;
}

/** trec_eval conventions: linear gain, log2(rank + 1) discount, relevant = grade > 0, cutoff 10. */
function evaluate(ranked: string[], relevant: Map<string, number>): Scores {
  const top = ranked.slice(0, 10);
  let dcg = 0;
  let hits = 0;
  let mrr = 0;
  top.forEach((id, i) => {
    const gain = relevant.get(id) ?? 0;
    if (gain > 0) {
      dcg += gain / Math.log2(i + 2);
      hits++;
      if (mrr === 0) mrr = 1 / (i + 1);
    }
  });
  const ideal = [...relevant.values()].sort((a, b) => b - a).slice(0, 10);
  const idcg = ideal.reduce((sum, g, i) => sum + g / Math.log2(i + 2), 0);
  return { ndcg: idcg ? dcg / idcg : 0, recall: relevant.size ? hits / relevant.size : 0, mrr };
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / (values.length || 1);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

interface Row {
  label: string;
  scores: Scores;
  latencies: number[];
}

/** Runs every judged query (after 5 untimed warm-up queries) and averages the metrics. */
async function runQueries(
  queries: Query[],
  qrels: Qrels,
  search: (q: string) => string[] | Promise<string[]>,
): Promise<Scores & { latencies: number[] }> {
  const judged = queries.filter((q) => qrels.has(q.id));
  for (const query of judged.slice(0, 5)) await search(query.text);
  const latencies: number[] = [];
  const all: Scores[] = [];
  for (const query of judged) {
    const t = performance.now();
    const ranked = await search(query.text);
    latencies.push(performance.now() - t);
    all.push(evaluate(ranked, qrels.get(query.id)!));
  }
  return {
    ndcg: mean(all.map((s) => s.ndcg)),
    recall: mean(all.map((s) => s.recall)),
    mrr: mean(all.map((s) => s.mrr)),
    latencies,
  };
}

function printRows(rows: Row[]): void {
  const f = (n: number) => n.toFixed(4);
  const ms = (n: number) => `${n.toFixed(2)} ms`;
  console.log(`  ${'mode'.padEnd(34)} nDCG@10  Recall@10  MRR@10   p50        p99`);
  for (const r of rows) {
    console.log(
      `  ${r.label.padEnd(34)} ${f(r.scores.ndcg)}   ${f(r.scores.recall)}     ${f(r.scores.mrr)}   ${ms(percentile(r.latencies, 50)).padEnd(10)} ${ms(percentile(r.latencies, 99))}`,
    );
  }
}

// ── Conduit pipeline ────────────────────────────────────────────────────────────────────────────
async function realEmbedder(): Promise<{ model?: EmbeddingModel; spec?: string; why?: string }> {
  const spec = process.env.CONDUIT_BENCH_EMBEDDING_MODEL;
  if (!spec)
    return { why: 'no embedding model (set CONDUIT_BENCH_EMBEDDING_MODEL=provider:model or an alias)' };
  const conduit = await openConduit({ storage: 'memory:' });
  return { model: conduit.models.embedding(spec), spec };
}

async function benchPipeline(dataset: Dataset, queries: Query[], qrels: Qrels, work: string) {
  const corpus = join(dataset.dir, 'corpus.jsonl');
  const storage = createSqliteStorage({ path: join(work, `${dataset.name.replace(/\W+/g, '-')}.db`) });
  const store = storage.documents;
  const fields = { idField: '_id', textField: 'text', titleField: 'title' };
  // Load the tokenizer's rank table (about a second, once per process) outside the timed ingest.
  encodingTokenizer('o200k_base').count('warm-up');
  const summary = await ingest({ store, collection: 'bm25', inputs: [corpus], ...fields });
  const docs = summary.documents.added;
  const seconds = summary.elapsedMs / 1000;
  console.log(
    `  ingest (BM25 only): ${docs} documents, ${summary.chunks} chunks in ${seconds.toFixed(2)} s — ` +
      `${(docs / seconds).toFixed(0)} documents/s, ${(summary.chunks / seconds).toFixed(0)} chunks/s`,
  );
  const again = await ingest({ store, collection: 'bm25', inputs: [corpus], ...fields });
  console.log(
    `  re-ingest unchanged: ${again.documents.unchanged} skipped in ${(again.elapsedMs / 1000).toFixed(2)} s`,
  );

  const rows: Row[] = [];
  const search =
    (collection: string, mode: RetrievalMode, embedder?: EmbeddingModel) => async (query: string) =>
      (
        await retrieve({
          store,
          collection,
          query,
          mode,
          k: 10,
          byDocument: true,
          ...(embedder ? { embedder } : {}),
        })
      ).hits.map((h) => h.document.id);
  const bm25 = await runQueries(queries, qrels, search('bm25', 'bm25'));
  rows.push({ label: 'bm25', scores: bm25, latencies: bm25.latencies });

  const real = await realEmbedder();
  const embedders: [string, EmbeddingModel, string?][] = [];
  if (real.model) embedders.push([real.model.id, real.model, real.spec]);
  embedders.push(['hashed vectors*', createHashingEmbedder(256, 'bench:hashing')]);
  for (const [label, embedder, spec] of embedders) {
    const collection = label === 'hashed vectors*' ? 'stand-in' : 'real';
    const s = await ingest({
      store,
      collection,
      inputs: [corpus],
      ...fields,
      embedder,
      ...(spec ? { embedderName: spec } : {}),
    });
    const secs = s.elapsedMs / 1000;
    console.log(
      `  ingest with ${label}: ${(s.documents.added / secs).toFixed(0)} documents/s, ${(s.chunks / secs).toFixed(0)} chunks/s`,
    );
    const suffix = collection === 'stand-in' ? '*' : ` (${label})`;
    for (const mode of ['dense', 'hybrid'] as const) {
      const r = await runQueries(queries, qrels, search(collection, mode, embedder));
      rows.push({ label: `${mode}${suffix}`, scores: r, latencies: r.latencies });
    }
  }
  printRows(rows);
  if (!real.model) console.log(`  dense/hybrid with a real model: skipped — ${real.why}`);
  console.log(
    '  * hashed word+trigram vectors: a lexical stand-in that exercises the vector path, not a semantic model',
  );
  return { storage, rows };
}

// ── Baseline block: BM25 implementations over identical tokens ──────────────────────────────────
/** FTS5's own tokens (porter unicode61 remove_diacritics 2) for each text, via fts5vocab. */
function fts5Tokens(texts: string[]): string[][] {
  const db = new Database(':memory:');
  db.exec(`CREATE VIRTUAL TABLE t USING fts5(text, tokenize = 'porter unicode61 remove_diacritics 2');
           CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');`);
  const insert = db.prepare('INSERT INTO t (rowid, text) VALUES (?, ?)');
  db.transaction(() => {
    for (const [i, text] of texts.entries()) insert.run(i + 1, text);
  })();
  const out: string[][] = texts.map(() => []);
  for (const row of db.prepare('SELECT term, doc, offset FROM v ORDER BY doc, offset').iterate() as Iterable<{
    term: string;
    doc: number;
  }>)
    out[row.doc - 1]!.push(row.term);
  db.close();
  return out;
}

/**
 * FTS5 bm25() over whole documents: the engine Conduit's store uses, queried the way the store
 * queries it (each raw query word quoted, OR-ed), so its tokens are FTS5's by construction.
 */
function fts5DocumentSearch(ids: string[], texts: string[]) {
  const db = new Database(':memory:');
  db.exec(`CREATE VIRTUAL TABLE d USING fts5(text, tokenize = 'porter unicode61 remove_diacritics 2')`);
  const insert = db.prepare('INSERT INTO d (rowid, text) VALUES (?, ?)');
  db.transaction(() => {
    for (const [i, text] of texts.entries()) insert.run(i + 1, text);
  })();
  const search = db.prepare<[string], { rowid: number }>(
    'SELECT rowid FROM d WHERE d MATCH ? ORDER BY bm25(d) LIMIT 10',
  );
  return (query: string) => {
    const match = ftsMatchExpression(query);
    return match ? search.all(match).map((r) => ids[r.rowid - 1]!) : [];
  };
}

/** Textbook Okapi BM25 (k1 = 1.2, b = 0.75, IDF ln((N − n + 0.5)/(n + 0.5)) floored like FTS5). */
function okapiSearch(ids: string[], docs: string[][]) {
  const tf = docs.map((tokens) => {
    const m = new Map<string, number>();
    for (const t of tokens) m.set(t, (m.get(t) ?? 0) + 1);
    return m;
  });
  const df = new Map<string, number>();
  for (const m of tf) for (const t of m.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const avg = mean(docs.map((d) => d.length));
  const N = docs.length;
  return (queryTokens: string[]) => {
    const scores = new Float64Array(N);
    for (const term of new Set(queryTokens)) {
      const n = df.get(term);
      if (!n) continue;
      const idf = Math.max(Math.log((N - n + 0.5) / (n + 0.5)), 1e-6);
      tf.forEach((m, i) => {
        const f = m.get(term);
        if (f) scores[i]! += (idf * f * 2.2) / (f + 1.2 * (0.25 + (0.75 * docs[i]!.length) / avg));
      });
    }
    return [...scores.keys()]
      .filter((i) => scores[i]! > 0)
      .sort((a, b) => scores[b]! - scores[a]!)
      .slice(0, 10)
      .map((i) => ids[i]!);
  };
}

interface WinkEngine {
  defineConfig(c: object): void;
  definePrepTasks(tasks: ((s: string) => string[])[]): void;
  addDoc(doc: object, id: string): void;
  consolidate(): void;
  search(text: string, limit?: number): [string, number][];
}

async function winkSearch(ids: string[], docs: string[][]) {
  let factory: () => WinkEngine;
  try {
    const specifier = 'wink-bm25-text-search'; // not a dependency: resolved only when installed
    factory = ((await import(specifier)) as { default: () => WinkEngine }).default;
  } catch {
    return undefined;
  }
  const engine = factory();
  engine.defineConfig({ fldWeights: { body: 1 }, bm25Params: { k1: 1.2, b: 0.75, k: 1 } });
  engine.definePrepTasks([(s) => s.split(' ').filter(Boolean)]);
  for (const [i, tokens] of docs.entries()) engine.addDoc({ body: tokens.join(' ') }, ids[i]!);
  engine.consolidate();
  // Unique query terms, as FTS5 and the textbook score them (wink would count a repeated word twice).
  return (queryTokens: string[]) => engine.search([...new Set(queryTokens)].join(' '), 10).map(([id]) => id);
}

async function benchBaselines(dataset: Dataset, queries: Query[], qrels: Qrels) {
  const corpus = readJsonl<{ _id: string; text: string }>(join(dataset.dir, 'corpus.jsonl'));
  const ids = corpus.map((d) => d._id);
  // What Conduit indexes for a JSONL record: its text field (the title is kept as the title).
  const texts = corpus.map((d) => d.text);
  const docTokens = fts5Tokens(texts);
  const queryTokenLists = fts5Tokens(queries.map((q) => q.text));
  const queryTokens = new Map(queries.map((q, i) => [q.text, queryTokenLists[i]!]));
  const tokensOf = (q: string) => queryTokens.get(q) ?? [];

  const rows: Row[] = [];
  const add = async (label: string, search: (query: string) => string[]) => {
    const r = await runQueries(queries, qrels, search);
    rows.push({ label, scores: r, latencies: r.latencies });
    return r;
  };
  const ours = await add('ours: SQLite FTS5 bm25()', fts5DocumentSearch(ids, texts));
  const okapi = okapiSearch(ids, docTokens);
  const textbook = await add('textbook Okapi BM25 (JS)', (q) => okapi(tokensOf(q)));
  const wink = await winkSearch(ids, docTokens);
  const winkRow = wink ? await add('wink-bm25-text-search', (q) => wink(tokensOf(q))) : undefined;
  printRows(rows);

  const compare = (name: string, base: Scores & { latencies: number[] }) => {
    const [a, b] = [percentile(ours.latencies, 50), percentile(base.latencies, 50)];
    console.log(
      `  ours vs ${name}: nDCG@10 ratio ${(ours.ndcg / base.ndcg).toFixed(3)}; ` +
        `p50 ${a.toFixed(2)} ms vs ${b.toFixed(2)} ms (ours ${(b / a).toFixed(2)}× as fast)`,
    );
  };
  compare('textbook', textbook);
  if (winkRow) {
    compare('wink', winkRow);
    console.log(
      '  (wink scores IDF as ln((N − n)/n + 1); FTS5 and the textbook floor ln((N − n + 0.5)/(n + 0.5)) at 1e-6)',
    );
  } else {
    console.log('  wink-bm25-text-search: skipped — not installed (it is not a dependency of the project)');
  }
}

// ── main ────────────────────────────────────────────────────────────────────────────────────────
async function main(): Promise<void> {
  if (!existsSync(DATA)) {
    console.log(`bench:rag: no data at ${DATA} (set CONDUIT_DATA); nothing measured.`);
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'conduit-bench-rag-'));
  console.log(`bench:rag — data from ${DATA}; Node ${process.version}; chunking 512/64 tokens (o200k_base)`);
  try {
    for (const dataset of DATASETS) {
      if (!existsSync(join(dataset.dir, 'corpus.jsonl'))) {
        console.log(`\n${dataset.name}: not found under ${dataset.dir}; skipped`);
        continue;
      }
      const queries = readJsonl<{ _id: string; text: string }>(join(dataset.dir, 'queries.jsonl')).map(
        (q) => ({ id: q._id, text: q.text }),
      );
      const qrels = readQrels(join(dataset.dir, 'qrels', 'test.tsv'));
      const judged = queries.filter((q) => qrels.has(q.id)).length;
      console.log(`\n${dataset.name}: ${judged} judged queries`);
      console.log(' Conduit pipeline: ingest() → SQLite, retrieve({ byDocument: true, k: 10 })');
      const { storage } = await benchPipeline(dataset, queries, qrels, work);
      await storage.close();
      console.log(' Baseline block: BM25 implementations over identical FTS5 tokens, whole documents');
      await benchBaselines(dataset, queries, qrels);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
