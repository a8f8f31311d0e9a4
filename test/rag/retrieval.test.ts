/**
 * Retrieval on the real SQLite store over the committed fixtures: BM25, dense and hybrid (RRF),
 * metadata filters, grouping by document, MMR, and both rerankers.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createScriptedModel } from '../../src/core/generate/test-support/scripted-model.js';
import { ingest } from '../../src/rag/ingest/ingest.js';
import { createHttpReranker } from '../../src/rag/retrieval/http-reranker.js';
import { createLlmReranker } from '../../src/rag/retrieval/llm-reranker.js';
import { reciprocalRankFusion } from '../../src/rag/retrieval/reciprocal-rank-fusion.js';
import { retrieve } from '../../src/rag/retrieval/retrieve.js';
import type { ChunkHit } from '../../src/storage/ports/document-store.js';
import { fixture, openTestStorage } from './support/fixtures.js';
import { createHashingEmbedder } from './support/hashing-embedder.js';

const storage = openTestStorage();
const store = storage.documents;
const embedder = createHashingEmbedder(128);

before(async () => {
  const inputs = ['handbook.md', 'solar-panels.html', 'orbital-mechanics.pdf', 'release-notes.txt'].map(
    fixture,
  );
  const chunking = { maxTokens: 80, overlapTokens: 16 };
  await ingest({ store, collection: 'kb', inputs, chunking });
  await ingest({ store, collection: 'kb-vectors', inputs, chunking, embedder });
});
after(() => storage.close());

describe('retrieve', () => {
  test('BM25 by default without an embedding model, and it says so', async () => {
    const result = await retrieve({ store, collection: 'kb', query: 'How long is parental leave?', k: 3 });
    assert.equal(result.mode, 'bm25');
    assert.match(result.notices[0]!, /BM25 only: no embedding model/);
    const top = result.hits[0]!;
    assert.deepEqual(top.chunk.headingPath, ['Acme Employee Handbook', 'Time off', 'Parental leave']);
    assert.match(top.chunk.text, /16 weeks of fully paid parental leave/);
    assert.equal(top.scores.bm25?.rank, 1);
    assert.ok(result.hits.every((h, i) => i === 0 || h.score <= result.hits[i - 1]!.score));
  });

  test('hybrid fuses BM25 and dense ranks when the collection has embeddings', async () => {
    const result = await retrieve({
      store,
      collection: 'kb-vectors',
      query: 'escape velocity of the Earth',
      k: 5,
      embedder,
    });
    assert.equal(result.mode, 'hybrid');
    assert.deepEqual(result.notices, []);
    const top = result.hits[0]!;
    assert.equal(top.chunk.page, 3);
    assert.ok(top.scores.bm25 && top.scores.dense && top.scores.fused);
    assert.equal(top.score, top.scores.fused);
    const dense = await retrieve({
      store,
      collection: 'kb-vectors',
      query: 'escape velocity of the Earth',
      mode: 'dense',
      embedder,
    });
    assert.equal(dense.mode, 'dense');
    assert.ok(dense.hits[0]!.score <= 1 && dense.hits[0]!.scores.dense);
  });

  test('dense without embeddings is an error; hybrid falls back to BM25 with a notice', async () => {
    await assert.rejects(
      retrieve({ store, collection: 'kb', query: 'orbit', mode: 'dense' }),
      /Dense retrieval is not possible/,
    );
    const result = await retrieve({ store, collection: 'kb', query: 'orbit', mode: 'hybrid', embedder });
    assert.equal(result.mode, 'bm25');
    assert.match(result.notices[0]!, /fell back to BM25 only: collection kb has no embeddings/);
    await assert.rejects(
      retrieve({ store, collection: 'nope', query: 'orbit' }),
      /Collection nope not found/,
    );
  });

  test('metadata filters restrict results (document metadata overlaid by format, source, front matter)', async () => {
    const onlyPdf = await retrieve({
      store,
      collection: 'kb',
      query: 'panel output orbit',
      filter: { field: 'format', op: 'eq', value: 'pdf' },
    });
    assert.ok(onlyPdf.hits.length > 0);
    assert.ok(onlyPdf.hits.every((h) => h.document.metadata.format === 'pdf'));
    const hr = await retrieve({
      store,
      collection: 'kb',
      query: 'days',
      filter: { field: 'department', op: 'eq', value: 'hr' },
    });
    assert.ok(hr.hits.every((h) => h.document.title === 'Acme Employee Handbook'));
  });

  test('--by-document returns each document once, by its best chunk', async () => {
    const result = await retrieve({
      store,
      collection: 'kb',
      query: 'orbit satellite transfer',
      k: 10,
      byDocument: true,
    });
    const ids = result.hits.map((h) => h.document.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(ids[0], fixture('orbital-mechanics.pdf'));
  });

  test('MMR keeps near-duplicate chunks from filling the results', async () => {
    await store.createCollection({ name: 'dupes' });
    const same = 'Backups run every night at 02:00 and are kept for 30 days.';
    for (const id of ['a', 'b', 'c'])
      await store.upsertDocument('dupes', { id, text: same }, [{ text: same, start: 0, end: same.length }]);
    const other = 'Restoring a backup takes about an hour; backups are encrypted.';
    await store.upsertDocument('dupes', { id: 'd', text: other }, [
      { text: other, start: 0, end: other.length },
    ]);
    const plain = await retrieve({ store, collection: 'dupes', query: 'backups kept days', k: 2 });
    assert.deepEqual(
      plain.hits.map((h) => h.chunk.text),
      [same, same],
    );
    const diverse = await retrieve({
      store,
      collection: 'dupes',
      query: 'backups kept days',
      k: 2,
      mmr: { lambda: 0.5 },
    });
    assert.deepEqual(
      diverse.hits.map((h) => h.chunk.text),
      [same, other],
    );
  });

  test('the LLM reranker reorders the candidates by the ranking the model returns', async () => {
    const model = createScriptedModel({
      steps: [
        (request) => {
          const prompt = String(request.messages.at(-1)!.content);
          const line = prompt.split('\n').find((l) => l.includes('11.2 kilometres'))!;
          const n = Number(/^\[(\d+)\]/.exec(line)![1]);
          return { text: JSON.stringify({ ranking: [n] }) };
        },
      ],
    });
    const result = await retrieve({
      store,
      collection: 'kb',
      query: 'orbit Earth',
      k: 3,
      reranker: createLlmReranker({ model }),
    });
    assert.match(result.hits[0]!.chunk.text, /11\.2 kilometres per second/);
    assert.equal(result.hits[0]!.scores.rerank, 1);
    assert.equal(model.remaining, 0);
  });

  test('the HTTP reranker speaks the Cohere/Jina rerank shape', async () => {
    const server = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      const { documents, query } = JSON.parse(body) as { documents: string[]; query: string };
      assert.equal(query, 'lifetime of an inverter');
      const results = documents.map((d, index) => ({
        index,
        relevance_score: d.includes('Inverter') ? 0.9 : 0.1,
      }));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ results }));
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const reranker = createHttpReranker({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/rerank`,
      model: 'rerank-test',
    });
    const result = await retrieve({
      store,
      collection: 'kb',
      query: 'lifetime of an inverter',
      k: 2,
      reranker,
    });
    assert.match(result.hits[0]!.chunk.text, /Inverter/);
    assert.equal(result.hits[0]!.scores.rerank, 0.9);
    server.close();
  });
});

describe('reciprocalRankFusion', () => {
  const hit = (id: string): ChunkHit => ({
    chunk: {
      id,
      documentId: id,
      ordinal: 0,
      text: id,
      page: null,
      start: null,
      end: null,
      headingPath: [],
      metadata: {},
    },
    document: { id, uri: null, title: null, metadata: {} },
    score: 1,
  });
  test('sums weight / (k + rank) over the lists', () => {
    const fused = reciprocalRankFusion(
      [
        { name: 'bm25', hits: [hit('a'), hit('b')], weight: 1 },
        { name: 'dense', hits: [hit('b'), hit('c')], weight: 2 },
      ],
      60,
    );
    assert.deepEqual(
      fused.map((f) => f.chunk.id),
      ['b', 'c', 'a'],
    );
    assert.equal(fused[0]!.score, 1 / 62 + 2 / 61);
  });
});
