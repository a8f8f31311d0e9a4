// Budgets reserved by several processes on one SQLite file: BEGIN IMMEDIATE makes each reservation
// atomic across them, so a brand-new key's budget admits exactly what fits, and a restart keeps it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createSqliteStorage } from './sqlite-storage.js';
import { runChild } from './test-support/run-child.js';

const dir = mkdtempSync(join(tmpdir(), 'conduit-budgets-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite budget ledger', () => {
  test('four processes reserving for one new key admit exactly the 10 reservations that fit', async () => {
    const path = join(dir, 'procs.db');
    await createSqliteStorage({ path }).close();
    const startAt = Date.now() + 1500;
    const child = `
      import { openStorage } from 'STORAGE';
      const storage = await openStorage('sqlite:' + process.argv[2]);
      while (Date.now() < Number(process.argv[3])) await new Promise((r) => setTimeout(r, 5));
      let allowed = 0;
      for (let i = 0; i < 25; i++) {
        const d = await storage.budgets.reserve({
          keyId: 'new-key', periodStart: 0, amountUsd: 0.005, limitUsd: 0.05, ttlMs: 600000,
        });
        if (d.allowed) allowed++;
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
      10,
      `per process: ${admitted.join(', ')}`,
    );

    // Reopened (a restart): the holds are still there until settled or expired.
    const reopened = createSqliteStorage({ path });
    const d = await reopened.budgets.reserve({
      keyId: 'new-key',
      periodStart: 0,
      amountUsd: 0.005,
      limitUsd: 0.05,
      ttlMs: 600_000,
    });
    assert.equal(d.allowed, false);
    assert.ok(Math.abs(d.heldUsd - 0.05) < 1e-9);
    await reopened.close();
  });
});
