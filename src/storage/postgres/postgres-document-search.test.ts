// Search behaviour particular to Postgres: the BM25 arithmetic, stemming and accent folding, scores
// scoped to one collection, and the JavaScript vector scan over more rows than one page.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { assertClose } from '../contract/port-fixture.js';
import type { DocumentStore } from '../ports/document-store.js';
import { requirePostgres, reusedServerStorages } from './test-support/postgres-test-database.js';

const admin = await requirePostgres();
const storages = reusedServerStorages(admin);
after(async () => {
  await storages.dropAll();
  await admin.end();
});

const withDocs = async (body: (docs: DocumentStore) => Promise<void>) => {
  const storage = await storages.open();
  try {
    await body(storage.documents);
  } finally {
    await storage.close();
  }
};

const add = async (docs: DocumentStore, collection: string, texts: string[]) => {
  for (const [i, text] of texts.entries())
    await docs.upsertDocument(collection, { id: `d${i}`, text }, [{ text }]);
};

describe('PostgreSQL text search', () => {
  test('scores are Okapi BM25 with k1 = 1.2, b = 0.75 and Lucene idf over the collection', () =>
    withDocs(async (docs) => {
      await docs.createCollection({ name: 'kb' });
      await add(docs, 'kb', ['apple banana', 'apple apple cherry', 'durian']);
      const hits = await docs.searchText('kb', 'apple');
      // N = 3, df = 2, average length 2.
      const idf = Math.log(1 + (3 - 2 + 0.5) / (2 + 0.5));
      const bm25 = (tf: number, length: number) =>
        (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * length) / 2));
      assert.deepEqual(
        hits.map((h) => h.document.id),
        ['d1', 'd0'],
      );
      assertClose(hits[0]?.score ?? 0, bm25(2, 3));
      assertClose(hits[1]?.score ?? 0, bm25(1, 2));
    }));

  test('words match across inflections and accents; stop words stay searchable', () =>
    withDocs(async (docs) => {
      await docs.createCollection({ name: 'kb' });
      await add(docs, 'kb', ['The runner was running to the café', 'Solar panels', 'naïve Zoë']);
      const top = async (q: string) => (await docs.searchText('kb', q))[0]?.document.id;
      assert.equal(await top('runs'), 'd0');
      assert.equal(await top('CAFE'), 'd0');
      assert.equal(await top('the'), 'd0');
      assert.equal(await top('panel'), 'd1');
      assert.equal(await top('naive zoe'), 'd2');
      assert.deepEqual(await docs.searchText('kb', 'the & | ! <-> :* ('), await docs.searchText('kb', 'the'));
    }));

  test('statistics belong to the collection: other collections do not change its scores', () =>
    withDocs(async (docs) => {
      await docs.createCollection({ name: 'kb' });
      await add(docs, 'kb', ['apple banana', 'cherry']);
      const before = (await docs.searchText('kb', 'apple'))[0]?.score;
      await docs.createCollection({ name: 'other' });
      await add(docs, 'other', ['apple', 'apple apple', 'apple pie', 'more apple']);
      assert.equal((await docs.searchText('kb', 'apple'))[0]?.score, before);
    }));
});

describe('PostgreSQL vector search without pgvector', () => {
  test('the JavaScript scan pages through a large collection and keeps filters', () =>
    withDocs(async (docs) => {
      await docs.createCollection({ name: 'big' });
      // More chunks than one scan page (2,000), with the best ones at the end.
      const chunks = Array.from({ length: 2300 }, (_, i) => ({
        id: `c${i}`,
        text: `chunk ${i}`,
        metadata: { even: i % 2 === 0 },
        embedding: [Math.cos(i / 1000), Math.sin(i / 1000)],
      }));
      await docs.upsertDocument('big', { id: 'doc', text: 'many chunks' }, chunks);
      const target = [Math.cos(2.299), Math.sin(2.299)];
      assert.deepEqual(
        (await docs.searchVector('big', target, { k: 3 })).map((h) => h.chunk.id),
        ['c2299', 'c2298', 'c2297'],
      );
      const even = await docs.searchVector('big', target, {
        k: 2,
        filter: { field: 'even', op: 'eq', value: true },
      });
      assert.deepEqual(
        even.map((h) => h.chunk.id),
        ['c2298', 'c2296'],
      );
    }));
});
