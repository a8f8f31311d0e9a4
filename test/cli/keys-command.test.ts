// `conduit keys` with collection scopes (issue 10, defect 5), through the real CLI in a child
// process over SQLite in a temporary CONDUIT_HOME.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'conduit-keys-'));
const keys = (...args: string[]) =>
  runCli(['keys', ...args], { cwd: dir, env: { HOME: dir, CONDUIT_HOME: join(dir, 'home') } });
after(() => rmSync(dir, { recursive: true, force: true }));

describe('conduit keys --collections', () => {
  test('create, list, update to none and back to the default; a bad entry is a usage error', async () => {
    const created = await keys(
      'create',
      '-n',
      'rag',
      '--models',
      'fast',
      '--collections',
      'team-a-*,shared:read',
      '--json',
    );
    assert.equal(created.code, 0, created.stderr);
    const key = JSON.parse(created.stdout) as { id: string; collections: string[] | null };
    assert.deepEqual(key.collections, ['team-a-*', 'shared:read']);

    const plain = await keys('create', '-n', 'scoped-by-models', '--models', 'fast');
    assert.equal(plain.code, 0, plain.stderr);
    const open = await keys('create', '-n', 'open');
    assert.equal(open.code, 0, open.stderr);

    const table = await keys('list');
    assert.match(table.stdout, /COLLECTIONS/);
    const row = (name: string) => table.stdout.split('\n').find((line) => line.includes(` ${name} `)) ?? '';
    assert.match(row('rag'), /team-a-\*,shared:read/);
    assert.match(
      row('scoped-by-models'),
      /\sfast\s+-\s/,
      'a key with a model list gets no collections by default',
    );
    assert.match(row('open'), /\s\*\s+\*\s/, 'a key without one keeps every collection');

    const none = await keys('update', key.id, '--collections', 'none', '--json');
    assert.deepEqual(JSON.parse(none.stdout).collections, []);
    const reset = await keys('update', key.id, '--collections', 'default', '--json');
    assert.equal(JSON.parse(reset.stdout).collections, null);

    const bad = await keys('update', key.id, '--collections', 'a/b');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--collections/);
  });
});
