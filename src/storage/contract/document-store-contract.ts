/** Contract every `DocumentStore` adapter must pass: collections, documents and chunks. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import type { DocumentStore } from '../ports/document-store.js';
import { type PortFactory, rejectsWithCode, withPort } from './port-fixture.js';

export function documentStoreContract(adapter: string, factory: PortFactory<DocumentStore>): void {
  const run = (body: (docs: DocumentStore) => Promise<void>) => () => withPort(factory, body);

  describe(`DocumentStore contract (${adapter})`, () => {
    test(
      'collections are created once, listed with counts and deleted with their documents',
      run(async (docs) => {
        const created = await docs.createCollection({ name: 'kb', metadata: { owner: 'x' } });
        assert.deepEqual(
          { ...created, createdAt: 0 },
          {
            name: 'kb',
            metadata: { owner: 'x' },
            dimensions: null,
            documentCount: 0,
            chunkCount: 0,
            createdAt: 0,
          },
        );
        await rejectsWithCode(docs.createCollection({ name: 'kb' }), 'conflict');
        await docs.createCollection({ name: 'another' });
        await docs.upsertDocument('kb', { id: 'd1', text: 'x y' }, [{ text: 'x' }, { text: 'y' }]);
        const listed = await docs.listCollections();
        assert.deepEqual(
          listed.map((c) => [c.name, c.documentCount, c.chunkCount]),
          [
            ['another', 0, 0],
            ['kb', 1, 2],
          ],
        );
        assert.equal(await docs.deleteCollection('kb'), true);
        assert.equal(await docs.deleteCollection('kb'), false);
        assert.equal(await docs.getCollection('kb'), undefined);
        await docs.createCollection({ name: 'kb' });
        assert.deepEqual(await docs.listDocuments('kb'), []);
        assert.deepEqual(await docs.searchText('kb', 'x'), []);
      }),
    );

    test(
      'a document and its chunks come back as stored',
      run(async (docs) => {
        await docs.createCollection({ name: 'kb' });
        const text = 'Intro. Details follow.';
        const summary = await docs.upsertDocument(
          'kb',
          { id: 'guide', uri: 'file:///guide.md', title: 'Guide', metadata: { lang: 'en' }, text },
          [
            { text: 'Intro.', start: 0, end: 6, page: 1, headingPath: ['Guide'], embedding: [1, 0.5, -2] },
            { id: 'custom', text: 'Details follow.', start: 7, end: 22, metadata: { part: 2 } },
          ],
        );
        const hash = createHash('sha256').update(text).digest('hex');
        assert.equal(summary.contentHash, hash);
        assert.equal(summary.chunkCount, 2);
        const doc = await docs.getDocument('kb', 'guide');
        assert.equal(doc?.text, text);
        assert.equal(doc?.title, 'Guide');
        assert.equal(doc?.uri, 'file:///guide.md');
        assert.deepEqual(doc?.metadata, { lang: 'en' });
        const chunks = await docs.getChunks('kb', 'guide');
        assert.deepEqual(
          chunks.map((c) => [c.id, c.ordinal, c.documentId, c.page, c.start, c.end]),
          [
            ['guide#0', 0, 'guide', 1, 0, 6],
            ['custom', 1, 'guide', null, 7, 22],
          ],
        );
        assert.deepEqual(chunks[0]?.headingPath, ['Guide']);
        assert.ok(chunks[0]?.embedding instanceof Float32Array);
        assert.deepEqual([...(chunks[0]?.embedding ?? [])], [1, 0.5, -2]);
        assert.equal(chunks[1]?.embedding, null);
        assert.deepEqual(chunks[1]?.metadata, { part: 2 });
        assert.equal((await docs.getCollection('kb'))?.dimensions, 3);
      }),
    );

    test(
      're-upserting replaces every chunk and keeps createdAt',
      run(async (docs) => {
        await docs.createCollection({ name: 'kb' });
        const first = await docs.upsertDocument('kb', { id: 'd', text: 'old' }, [
          { text: 'alpha old' },
          { text: 'beta old' },
          { text: 'gamma old' },
        ]);
        const second = await docs.upsertDocument('kb', { id: 'd', text: 'new', contentHash: 'v2' }, [
          { text: 'alpha new' },
        ]);
        assert.equal(second.createdAt, first.createdAt);
        assert.equal(second.contentHash, 'v2');
        assert.deepEqual(
          (await docs.getChunks('kb', 'd')).map((c) => c.text),
          ['alpha new'],
        );
        assert.deepEqual(await docs.searchText('kb', 'gamma'), []);
        assert.equal((await docs.searchText('kb', 'alpha'))[0]?.chunk.text, 'alpha new');
        assert.equal((await docs.getCollection('kb'))?.chunkCount, 1);
      }),
    );

    test(
      'listDocuments gives ids and content hashes for incremental ingest',
      run(async (docs) => {
        await docs.createCollection({ name: 'kb' });
        await docs.upsertDocument('kb', { id: 'b', contentHash: 'hb', text: 'bbb' }, []);
        await docs.upsertDocument('kb', { id: 'a', contentHash: 'ha', text: 'aaa' }, [{ text: 'aaa' }]);
        const listed = await docs.listDocuments('kb');
        assert.deepEqual(
          listed.map((d) => [d.id, d.contentHash, d.chunkCount, d.collection]),
          [
            ['a', 'ha', 1, 'kb'],
            ['b', 'hb', 0, 'kb'],
          ],
        );
        assert.equal('text' in (listed[0] ?? {}), false);
      }),
    );

    test(
      'deleting a document removes it from search',
      run(async (docs) => {
        await docs.createCollection({ name: 'kb' });
        await docs.upsertDocument('kb', { id: 'd', text: 't' }, [{ text: 'zebra', embedding: [1, 0] }]);
        assert.equal(await docs.deleteDocument('kb', 'd'), true);
        assert.equal(await docs.deleteDocument('kb', 'd'), false);
        assert.equal(await docs.getDocument('kb', 'd'), undefined);
        assert.deepEqual(await docs.getChunks('kb', 'd'), []);
        assert.deepEqual(await docs.searchText('kb', 'zebra'), []);
        assert.deepEqual(await docs.searchVector('kb', [1, 0]), []);
      }),
    );

    test(
      'an embedding of the wrong length is refused and nothing of that write is kept',
      run(async (docs) => {
        await docs.createCollection({ name: 'kb', dimensions: 2 });
        await rejectsWithCode(
          docs.upsertDocument('kb', { id: 'd', text: 't' }, [
            { text: 'ok', embedding: [1, 0] },
            { text: 'bad', embedding: [1, 0, 0] },
          ]),
          'bad_request',
        );
        assert.equal(await docs.getDocument('kb', 'd'), undefined);
        await rejectsWithCode(docs.searchVector('kb', [1, 0, 0]), 'bad_request');
      }),
    );

    test(
      'a chunk id used by another document is a conflict and leaves both documents intact',
      run(async (docs) => {
        await docs.createCollection({ name: 'kb' });
        await docs.upsertDocument('kb', { id: 'a', text: 'a' }, [{ id: 'shared', text: 'first' }]);
        await docs.upsertDocument('kb', { id: 'b', text: 'b' }, [{ text: 'old b' }]);
        await rejectsWithCode(
          docs.upsertDocument('kb', { id: 'b', text: 'b2' }, [{ id: 'shared', text: 'x' }]),
          'conflict',
        );
        assert.equal((await docs.getDocument('kb', 'b'))?.text, 'b');
        assert.deepEqual(
          (await docs.getChunks('kb', 'b')).map((c) => c.text),
          ['old b'],
        );
        assert.deepEqual(
          (await docs.getChunks('kb', 'a')).map((c) => c.text),
          ['first'],
        );
      }),
    );

    test(
      'an unknown collection is not_found for writes, lists and searches',
      run(async (docs) => {
        await rejectsWithCode(docs.upsertDocument('nope', { id: 'd' }, []), 'not_found');
        await rejectsWithCode(docs.listDocuments('nope'), 'not_found');
        await rejectsWithCode(docs.searchText('nope', 'x'), 'not_found');
        await rejectsWithCode(docs.searchVector('nope', [1]), 'not_found');
        assert.equal(await docs.getDocument('nope', 'd'), undefined);
      }),
    );
  });
}
