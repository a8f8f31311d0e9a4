import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { ConduitError } from '../core/errors.js';
import { openStorage, sqlitePathFromUrl } from './open-storage.js';

const dir = mkdtempSync(join(tmpdir(), 'conduit-open-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const rejectsWith = (promise: Promise<unknown>, code: string) =>
  assert.rejects(promise, (e: unknown) => ConduitError.isInstance(e) && e.code === code);

describe('openStorage', () => {
  test('memory: and sqlite::memory: give working, private storage', async () => {
    for (const url of ['memory:', 'sqlite::memory:']) {
      const a = await openStorage(url);
      const b = await openStorage(url);
      await a.cache.set('k', 'v');
      assert.equal(await a.cache.get('k'), 'v', url);
      assert.equal(await b.cache.get('k'), undefined, url);
      await a.close();
      await b.close();
    }
    const memory = await openStorage('memory:');
    assert.equal(memory.kind, 'memory');
    await memory.close();
  });

  test('sqlite:<relative path> resolves against the cwd and creates the directory', async () => {
    const target = join(dir, 'rel', 'conduit.db');
    const storage = await openStorage(`sqlite:${relative(process.cwd(), target)}`);
    assert.equal(storage.kind, 'sqlite');
    await storage.close();
    assert.ok(existsSync(target));
  });

  test('absolute paths work with one or three slashes', () => {
    assert.equal(sqlitePathFromUrl('sqlite:/var/lib/conduit.db'), '/var/lib/conduit.db');
    assert.equal(sqlitePathFromUrl('sqlite:///var/lib/conduit.db'), '/var/lib/conduit.db');
    assert.equal(sqlitePathFromUrl('sqlite::memory:'), ':memory:');
  });

  test('bad and unknown URLs fail with a message that says what to use', async () => {
    // Redis alone cannot hold keys or logs; postgres:// and redis: options are tested in postgres/ and redis/.
    await assert.rejects(openStorage('redis://localhost'), /postgres:\/\/ or sqlite: storage URL/);
    await rejectsWith(openStorage('sqlite:'), 'bad_request');
    await assert.rejects(openStorage('./conduit.db'), /sqlite:<path>/);
  });
});
