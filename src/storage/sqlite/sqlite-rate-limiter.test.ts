import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createSqliteStorage } from './sqlite-storage.js';
import { runChild } from './test-support/run-child.js';

const dir = mkdtempSync(join(tmpdir(), 'conduit-limits-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite rate limiter', () => {
  test('two connections to one file share the limit', async () => {
    const path = join(dir, 'two.db');
    const a = createSqliteStorage({ path });
    const b = createSqliteStorage({ path });
    const request = { limit: 30, windowMs: 60_000 };
    const decisions = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).rateLimiter.consume('shared', request)),
    );
    assert.equal(decisions.filter((d) => d.allowed).length, 30);
    await a.close();
    await b.close();
  });

  test('four processes hammering one key admit exactly the limit', async () => {
    const path = join(dir, 'procs.db');
    await createSqliteStorage({ path }).close();
    const startAt = Date.now() + 1500;
    const child = `
      import { openStorage } from 'STORAGE';
      const storage = await openStorage('sqlite:' + process.argv[2]);
      // Start together so the consumes really interleave.
      while (Date.now() < Number(process.argv[3])) await new Promise((r) => setTimeout(r, 5));
      let allowed = 0;
      for (let i = 0; i < 60; i++) {
        if ((await storage.rateLimiter.consume('shared', { limit: 100, windowMs: 600000 })).allowed) allowed++;
      }
      await storage.close();
      console.log(allowed);
    `;
    const results = await Promise.all(
      Array.from({ length: 4 }, () => runChild(child, [path, String(startAt)])),
    );
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const admitted = results.map((r) => Number(r.stdout.trim()));
    assert.equal(
      admitted.reduce((sum, n) => sum + n, 0),
      100,
      `per process: ${admitted.join(', ')}`,
    );
  });
});
