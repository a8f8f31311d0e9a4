import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConduitError } from '../../core/errors.js';
import { createMemoryDocumentStore } from '../../storage/memory/memory-document-store.js';
import { checkCollectionName } from './rag-schemas.js';
import { createRagService } from './rag-service.js';

const isBadRequest = (param: string, message: RegExp) => (e: unknown) =>
  e instanceof ConduitError && e.code === 'bad_request' && e.param === param && message.test(e.message);

describe('RAG service input checks', () => {
  test('an invalid collection name is a 400 saying what a name may contain', async () => {
    assert.equal(checkCollectionName('notes_2024.v1'), 'notes_2024.v1');
    for (const name of ['a b', '', '-x', 'x'.repeat(129)]) {
      assert.throws(() => checkCollectionName(name), isBadRequest('name', /letters, digits/));
    }
    const rag = createRagService({ store: createMemoryDocumentStore(Date.now) });
    await assert.rejects(
      rag.addDocument('a b', { filename: 'a.md', data: 'hello' }),
      isBadRequest('name', /^Invalid collection name "a b": use letters/),
    );
  });

  test('an unknown embedding_model is a 400 and creates nothing', async () => {
    const store = createMemoryDocumentStore(Date.now);
    const rag = createRagService({
      store,
      embeddingModel: (spec) => {
        throw new ConduitError('not_found', `Unknown model "${spec}"`, { param: 'model' });
      },
    });
    await assert.rejects(
      rag.createCollection({ name: 'vectors', embedding_model: 'nope' }),
      isBadRequest('embedding_model', /nope/),
    );
    assert.equal(await store.getCollection('vectors'), undefined);
  });
});
