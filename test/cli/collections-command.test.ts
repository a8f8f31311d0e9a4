/**
 * `conduit collections list|delete` on the configured storage: collections filled by the real
 * `conduit ingest`, listed with their counts, and deleted without a question when stdin is a pipe.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'conduit-collections-'));
const run = (...args: string[]) =>
  runCli(args, { cwd: dir, env: { HOME: dir, CONDUIT_HOME: join(dir, 'home') } });

interface ListJson {
  collections: {
    name: string;
    document_count: number;
    chunk_count: number;
    embedding_model: string | null;
    updated_at: string;
  }[];
}

before(async () => {
  writeFileSync(join(dir, 'a.md'), '# A\n\nParental leave is sixteen weeks.\n');
  writeFileSync(join(dir, 'b.md'), '# B\n\nThe refund window is thirty days.\n');
  for (const [file, collection] of [
    ['a.md', 'handbook'],
    ['b.md', 'handbook'],
    ['b.md', 'policies'],
  ]) {
    const result = await run('ingest', file!, '--collection', collection!);
    assert.equal(result.code, 0, result.stderr);
  }
});

describe('conduit collections', () => {
  test('list shows name, documents, chunks, embedding model and last update; --json is data', async () => {
    const json = JSON.parse((await run('collections', 'list', '--json')).stdout) as ListJson;
    assert.deepEqual(
      json.collections.map((c) => [c.name, c.document_count, c.embedding_model]),
      [
        ['handbook', 2, null],
        ['policies', 1, null],
      ],
    );
    for (const c of json.collections) {
      assert.ok(c.chunk_count >= c.document_count);
      assert.ok(Date.now() - Date.parse(c.updated_at) < 10 * 60_000, 'updated by the ingest just now');
    }
    const table = await run('collections', 'list');
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^NAME\s+DOCUMENTS\s+CHUNKS\s+EMBEDDING MODEL\s+UPDATED\n/);
    assert.match(table.stdout, /handbook\s+2\s+\d+\s+none \(BM25 only\)\s+(Less than a minute|A minute) ago/);
  });

  test('delete an unknown name: exit 1, lists the collections, deletes nothing', async () => {
    const result = await run('collections', 'delete', 'nosuch');
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /No collection "nosuch"\. Collections: handbook, policies\. Nothing was deleted\./,
    );
    const json = JSON.parse((await run('collections', 'list', '--json')).stdout) as ListJson;
    assert.equal(json.collections.length, 2);
  });

  test('delete asks nothing when stdin is not a terminal, and the collection is gone', async () => {
    const result = await run('collections', 'delete', 'policies', '--json');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), {
      name: 'policies',
      deleted: true,
      document_count: 1,
      chunk_count: 1,
    });
    const json = JSON.parse((await run('collections', 'list', '--json')).stdout) as ListJson;
    assert.deepEqual(
      json.collections.map((c) => c.name),
      ['handbook'],
    );
    const search = await run('search', 'refund', '--collection', 'policies');
    assert.equal(search.code, 1, 'searching a deleted collection fails');
  });
});
