/**
 * Ingestion on the real SQLite store: directories, incremental re-runs by content hash, changed and
 * removed sources with --prune, per-file failures that do not stop the run, JSONL ids, embeddings.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ingest } from '../../src/rag/ingest/ingest.js';
import { fixture, openTestStorage } from './support/fixtures.js';
import { createHashingEmbedder } from './support/hashing-embedder.js';
import { writePdf } from './support/pdf-writer.js';

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'conduit-rag-'));
  mkdirSync(join(dir, 'docs', 'nested'), { recursive: true });
  copyFileSync(fixture('handbook.md'), join(dir, 'docs', 'handbook.md'));
  copyFileSync(fixture('release-notes.txt'), join(dir, 'docs', 'nested', 'release-notes.txt'));
  writeFileSync(join(dir, 'docs', 'nested', 'diagram.png'), 'not loaded');
  return dir;
}

describe('ingest', () => {
  test('a directory is walked recursively; unsupported files are skipped; BM25-only is said', async () => {
    const storage = openTestStorage();
    const dir = workspace();
    const summary = await ingest({ store: storage.documents, collection: 'kb', inputs: ['docs'], cwd: dir });
    assert.equal(summary.files, 2);
    assert.deepEqual(summary.documents, { added: 2, updated: 0, unchanged: 0, removed: 0 });
    assert.equal(summary.skipped, 1);
    assert.deepEqual(summary.failed, []);
    assert.match(summary.notices[0]!, /BM25 only/);
    const chunks = await storage.documents.getChunks('kb', join(dir, 'docs', 'handbook.md'));
    assert.equal(
      summary.chunks,
      chunks.length +
        (await storage.documents.getChunks('kb', join(dir, 'docs', 'nested', 'release-notes.txt'))).length,
    );
    const doc = await storage.documents.getDocument('kb', join(dir, 'docs', 'handbook.md'));
    for (const c of chunks) assert.equal(doc!.text.slice(c.start!, c.end!), c.text);
    assert.ok(
      chunks.some((c) => c.headingPath.join(' > ') === 'Acme Employee Handbook > Time off > Parental leave'),
    );
    rmSync(dir, { recursive: true });
    await storage.close();
  });

  test('re-running is idempotent; a changed file is re-chunked; --prune removes a deleted one', async () => {
    const storage = openTestStorage();
    const dir = workspace();
    const run = (prune = false) =>
      ingest({ store: storage.documents, collection: 'kb', inputs: ['docs'], cwd: dir, prune });
    await run();
    const before = await storage.documents.listDocuments('kb');

    const again = await run();
    assert.deepEqual(again.documents, { added: 0, updated: 0, unchanged: 2, removed: 0 });
    assert.equal(again.chunks, 0);
    assert.deepEqual(await storage.documents.listDocuments('kb'), before);

    writeFileSync(
      join(dir, 'docs', 'nested', 'release-notes.txt'),
      'Release notes for version 4.3\n\nThe sync delay is fixed.',
    );
    const changed = await run();
    assert.deepEqual(changed.documents, { added: 0, updated: 1, unchanged: 1, removed: 0 });
    const hits = await storage.documents.searchText('kb', 'sync delay fixed');
    assert.match(hits[0]!.chunk.text, /version 4\.3/);

    rmSync(join(dir, 'docs', 'nested', 'release-notes.txt'));
    const withoutPrune = await run();
    assert.equal(withoutPrune.documents.removed, 0);
    assert.equal((await storage.documents.listDocuments('kb')).length, 2);
    const pruned = await run(true);
    assert.equal(pruned.documents.removed, 1);
    assert.deepEqual(
      (await storage.documents.listDocuments('kb')).map((d) => d.id),
      [join(dir, 'docs', 'handbook.md')],
    );
    rmSync(dir, { recursive: true });
    await storage.close();
  });

  test('--prune only touches documents under the inputs of this run', async () => {
    const storage = openTestStorage();
    const dir = workspace();
    writeFileSync(join(dir, 'other.txt'), 'Another source entirely.');
    await ingest({ store: storage.documents, collection: 'kb', inputs: ['docs', 'other.txt'], cwd: dir });
    const summary = await ingest({
      store: storage.documents,
      collection: 'kb',
      inputs: ['docs'],
      cwd: dir,
      prune: true,
    });
    assert.equal(summary.documents.removed, 0);
    assert.equal((await storage.documents.listDocuments('kb')).length, 3);
    rmSync(dir, { recursive: true });
    await storage.close();
  });

  test('one unreadable file is reported with its reason and the run goes on', async () => {
    const storage = openTestStorage();
    const dir = workspace();
    writeFileSync(
      join(dir, 'docs', 'payroll.pdf'),
      writePdf({ pages: [{ lines: ['x'] }], userPassword: 'pw' }),
    );
    const summary = await ingest({
      store: storage.documents,
      collection: 'kb',
      inputs: ['docs', 'missing.md', 'docs/*.nothing'],
      cwd: dir,
    });
    assert.equal(summary.documents.added, 2);
    assert.deepEqual(
      summary.failed.map((f) => [f.source.replace(dir, ''), f.reason]),
      [
        ['missing.md', 'no such file or directory'],
        ['docs/*.nothing', 'the pattern matches no files'],
        ['/docs/payroll.pdf', 'encrypted PDF (a password is required to read it)'],
      ],
    );
    rmSync(dir, { recursive: true });
    await storage.close();
  });

  test('JSONL records become documents whose id is the --id-field value', async () => {
    const storage = openTestStorage();
    const summary = await ingest({
      store: storage.documents,
      collection: 'faq',
      inputs: [fixture('faq.jsonl')],
      idField: 'faq_id',
      textField: 'answer',
      titleField: 'question',
    });
    assert.equal(summary.documents.added, 4);
    const hits = await storage.documents.searchText('faq', 'refund', {
      filter: { field: 'category', op: 'eq', value: 'billing' },
    });
    assert.equal(hits[0]!.document.id, 'billing-2');
    assert.equal(hits[0]!.document.title, 'Can I get a refund?');
    await storage.close();
  });

  test('--prune removes JSONL records that disappeared from their file; a changed record is updated', async () => {
    const storage = openTestStorage();
    const dir = mkdtempSync(join(tmpdir(), 'conduit-rag-'));
    const file = join(dir, 'kb.jsonl');
    const line = (id: string, text: string) => JSON.stringify({ id, text });
    writeFileSync(file, [line('a', 'alpha'), line('b', 'beta'), line('c', 'gamma')].join('\n'));
    const run = () => ingest({ store: storage.documents, collection: 'kb', inputs: [file], prune: true });
    await run();
    // Records move up a line: that alone changes nothing.
    writeFileSync(file, [line('a', 'alpha'), line('c', 'gamma, revised')].join('\n'));
    const summary = await run();
    assert.deepEqual(summary.documents, { added: 0, updated: 1, unchanged: 1, removed: 1 });
    writeFileSync(file, [line('c', 'gamma, revised'), line('a', 'alpha')].join('\n'));
    assert.deepEqual((await run()).documents, { added: 0, updated: 0, unchanged: 2, removed: 0 });
    assert.deepEqual(
      (await storage.documents.listDocuments('kb')).map((d) => d.id),
      ['a', 'c'],
    );
    rmSync(dir, { recursive: true });
    await storage.close();
  });

  test('with an embedding model every chunk gets a vector, in batches, and the model is recorded', async () => {
    const storage = openTestStorage();
    const embedder = createHashingEmbedder(64);
    const summary = await ingest({
      store: storage.documents,
      collection: 'kb',
      inputs: [fixture('handbook.md'), fixture('solar-panels.html')],
      embedder,
      chunking: { maxTokens: 60, overlapTokens: 10 },
    });
    assert.deepEqual(summary.notices, []);
    const collection = await storage.documents.getCollection('kb');
    assert.equal(collection!.dimensions, 64);
    assert.equal(collection!.metadata.embedding_model, 'test:hashing');
    assert.ok(embedder.calls.every((batch) => batch.length <= 32));
    assert.equal(embedder.calls.flat().length, summary.chunks);
    // The embedded text carries the title and heading path; the stored text stays exact.
    assert.ok(
      embedder.calls
        .flat()
        .some((t) => t.startsWith('Acme Employee Handbook > Time off > Parental leave\n\n')),
    );
    const chunks = await storage.documents.getChunks('kb', fixture('handbook.md'));
    assert.ok(chunks.every((c) => c.embedding?.length === 64));

    await assert.rejects(
      ingest({
        store: storage.documents,
        collection: 'kb',
        inputs: [fixture('faq.jsonl')],
        embedder: createHashingEmbedder(64, 'test:other'),
      }),
      /embedded with test:hashing, not test:other/,
    );
    await storage.close();
  });
});
