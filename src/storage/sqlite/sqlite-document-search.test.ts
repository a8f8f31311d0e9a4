import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createSqliteStorage } from './sqlite-storage.js';

const open = () => createSqliteStorage({ path: ':memory:' });

describe('SQLite document search', () => {
  test('the Porter stemmer lets "panels" find "panel" and "measuring" find "measured"', async () => {
    const storage = open();
    await storage.documents.createCollection({ name: 'kb' });
    await storage.documents.upsertDocument('kb', { id: 'd', text: '' }, [
      { text: 'The panel was measured.' },
    ]);
    assert.equal((await storage.documents.searchText('kb', 'panels')).length, 1);
    assert.equal((await storage.documents.searchText('kb', 'measuring')).length, 1);
    await storage.close();
  });

  test('BM25 prefers the short focused chunk over a long one that mentions the term once', async () => {
    const storage = open();
    await storage.documents.createCollection({ name: 'kb' });
    const filler = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    await storage.documents.upsertDocument('kb', { id: 'long', text: '' }, [
      { text: `${filler} turbine ${filler}` },
    ]);
    await storage.documents.upsertDocument('kb', { id: 'short', text: '' }, [
      { text: 'turbine blade turbine' },
    ]);
    for (let i = 0; i < 10; i++) {
      await storage.documents.upsertDocument('kb', { id: `noise${i}`, text: '' }, [
        { text: `unrelated ${i}` },
      ]);
    }
    const hits = await storage.documents.searchText('kb', 'turbine');
    assert.deepEqual(
      hits.map((h) => h.document.id),
      ['short', 'long'],
    );
    await storage.close();
  });

  test('the full-text index follows deletes, replacements and cascades', async () => {
    const storage = open();
    const { documents, database } = storage;
    const ftsCount = () =>
      database.prepare("SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH 'apple'").pluck().get();
    await documents.createCollection({ name: 'kb' });
    await documents.upsertDocument('kb', { id: 'a', text: '' }, [
      { text: 'apple one' },
      { text: 'apple two' },
    ]);
    assert.equal(ftsCount(), 2);
    await documents.upsertDocument('kb', { id: 'a', text: '' }, [{ text: 'apple three' }]);
    assert.equal(ftsCount(), 1);
    await documents.deleteCollection('kb');
    assert.equal(ftsCount(), 0);
    // The integrity check compares the index with the chunks table row by row.
    database.prepare("INSERT INTO chunks_fts (chunks_fts) VALUES ('integrity-check')").run();
    await storage.close();
  });

  test('vector search reads 2,000 embeddings of 384 dimensions exactly', async () => {
    const storage = open();
    await storage.documents.createCollection({ name: 'kb' });
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31 - 0.5;
    };
    const vectors = Array.from({ length: 2000 }, () => Float32Array.from({ length: 384 }, random));
    for (let d = 0; d < 20; d++) {
      await storage.documents.upsertDocument(
        'kb',
        { id: `d${d}`, text: '' },
        vectors
          .slice(d * 100, d * 100 + 100)
          .map((embedding, i) => ({ id: `c${d * 100 + i}`, text: 'x', embedding })),
      );
    }
    const target = vectors[1234] as Float32Array;
    const query = Float32Array.from(target, (x) => x + random() * 0.01);
    const hits = await storage.documents.searchVector('kb', query, { k: 5 });
    assert.equal(hits[0]?.chunk.id, 'c1234');
    assert.equal(hits.length, 5);
    for (let i = 1; i < hits.length; i++) assert.ok((hits[i - 1]?.score ?? 0) >= (hits[i]?.score ?? 0));
    await storage.close();
  });
});
