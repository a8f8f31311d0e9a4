// Every port's contract over PGlite with pgvector, so the pgvector SQL runs (the server here has no
// pgvector), together with checks that vector search really took the pgvector path.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { storageContract } from '../contract/index.js';
import { requirePgliteWithVector } from './test-support/pglite-test-database.js';

const lite = await requirePgliteWithVector();

storageContract('pglite + pgvector', () => lite.open());

describe('PGlite storage', () => {
  test('openStorage("pglite::memory:") runs vector search in the database through pgvector and says so', async () => {
    assert.equal(lite.root.kind, 'postgres');
    assert.equal(lite.root.schema, 'public');
    assert.equal(lite.root.vectorSearch.mode, 'pgvector');
    assert.match(lite.root.vectorSearch.reason, /extension "vector" [\d.]+ in schema public/);
  });

  test('vector: js forces the JavaScript scan even where pgvector exists, with the same results', async () => {
    const viaExtension = await lite.open();
    const viaScan = await lite.open({ vector: 'js' });
    assert.equal(viaScan.vectorSearch.mode, 'js');
    for (const storage of [viaExtension, viaScan]) {
      await storage.documents.createCollection({ name: 'kb' });
      await storage.documents.upsertDocument('kb', { id: 'd', text: 't' }, [
        { id: 'a', text: 'a', embedding: [0.3, -0.2, 0.9] },
        { id: 'b', text: 'b', embedding: [-0.5, 0.5, 0.1] },
        { id: 'zero', text: 'zero', embedding: [0, 0, 0] },
      ]);
    }
    const extensionHits = await viaExtension.documents.searchVector('kb', [0.2, -0.1, 1]);
    const scanHits = await viaScan.documents.searchVector('kb', [0.2, -0.1, 1]);
    // A zero vector scores 0 in both (pgvector alone would say NaN), between the positive and the negative.
    assert.deepEqual(
      scanHits.map((h) => h.chunk.id),
      ['a', 'zero', 'b'],
    );
    assert.deepEqual(
      extensionHits.map((h) => h.chunk.id),
      ['a', 'zero', 'b'],
    );
    for (const [i, hit] of extensionHits.entries()) {
      assert.ok(Math.abs(hit.score - (scanHits[i]?.score ?? 0)) < 1e-6);
    }
    await viaExtension.close();
    await viaScan.close();
  });
});
