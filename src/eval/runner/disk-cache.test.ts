import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createDiskCache, requestKey } from './disk-cache.js';

describe('createDiskCache', () => {
  test('one JSON file per entry under a two-character shard; survives a new instance', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conduit-cache-'));
    const key = requestKey(['m', { messages: [] }]);
    await createDiskCache(dir).set(key, { result: { text: 'hi' }, latencyMs: 12 });
    assert.deepEqual(await createDiskCache(dir).get(key), { result: { text: 'hi' }, latencyMs: 12 });
    assert.deepEqual(readdirSync(join(dir, key.slice(0, 2))), [`${key}.json`], 'no temporary file left');
  });

  test('a missing or unreadable entry is a miss, not an error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conduit-cache-'));
    const cache = createDiskCache(dir);
    const key = requestKey('x');
    assert.equal(await cache.get(key), undefined);
    await cache.set(key, { ok: true });
    writeFileSync(join(dir, key.slice(0, 2), `${key}.json`), '{"ok": tru');
    assert.equal(await cache.get(key), undefined);
  });

  test('an unwritable directory costs the cache, not the run', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'conduit-cache-')), 'a-file');
    writeFileSync(file, '');
    const cache = createDiskCache(join(file, 'cache')); // a directory inside a file: ENOTDIR
    await cache.set(requestKey('y'), { ok: true });
    assert.equal(await cache.get(requestKey('y')), undefined);
  });
});
