import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ConduitError } from '../../core/errors.js';
import { generateKeySecret } from '../key-secret.js';
import { createSqliteStorage } from './sqlite-storage.js';
import { runChild } from './test-support/run-child.js';

const dir = mkdtempSync(join(tmpdir(), 'conduit-durability-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const usageRow = (n: number) => ({
  requestId: `req-${n}`,
  alias: 'fast',
  status: 200,
  costUsd: 0.5,
  createdAt: n,
});

describe('SQLite durability', () => {
  test('data in every port survives close and reopen', async () => {
    const path = join(dir, 'reopen.db');
    const first = createSqliteStorage({ path });
    const secret = generateKeySecret();
    const key = await first.keys.create({ name: 'ci', hash: secret.hash, prefix: secret.prefix });
    await first.usage.appendBatch([usageRow(1)]);
    await first.cache.set('c', Buffer.from('cached'));
    await first.rateLimiter.consume('rl', { limit: 1, windowMs: 60_000 });
    await first.documents.createCollection({ name: 'kb' });
    await first.documents.upsertDocument('kb', { id: 'd', text: 'persisted words' }, [
      { text: 'persisted words', embedding: [0.25, 0.5] },
    ]);
    await first.evals.createRun({ id: 'run', suite: 's' });
    await first.traces.appendSpans([{ traceId: 't', spanId: 's', name: 'n', startTime: 1 }]);
    await first.close();

    const second = createSqliteStorage({ path });
    assert.deepEqual(await second.keys.findByHash(secret.hash), key);
    assert.equal((await second.usage.query()).rows[0]?.requestId, 'req-1');
    assert.equal((await second.cache.get('c'))?.toString(), 'cached');
    assert.equal((await second.rateLimiter.consume('rl', { limit: 1, windowMs: 60_000 })).allowed, false);
    assert.equal((await second.documents.searchText('kb', 'persisted'))[0]?.document.id, 'd');
    assert.equal((await second.documents.searchVector('kb', [1, 2]))[0]?.chunk.text, 'persisted words');
    assert.equal((await second.evals.getRun('run'))?.suite, 's');
    assert.equal((await second.traces.getTrace('t')).length, 1);
    await second.close();
  });

  test('a batch that fails inside the database is rolled back whole, also on disk', async () => {
    const path = join(dir, 'atomic.db');
    const storage = createSqliteStorage({ path });
    await storage.usage.appendBatch([usageRow(3)]);
    // Row 3 is already stored: only the UNIQUE index can notice, after rows 1 and 2 were inserted.
    await assert.rejects(
      storage.usage.appendBatch([usageRow(1), usageRow(2), usageRow(3), usageRow(4)]),
      (error: unknown) => ConduitError.isInstance(error) && error.code === 'conflict',
    );
    await storage.close();
    const reopened = createSqliteStorage({ path });
    assert.deepEqual(
      (await reopened.usage.query()).rows.map((r) => r.requestId),
      ['req-3'],
    );
    await reopened.close();
  });

  test('a committed batch survives the process being killed with SIGKILL right after commit', async () => {
    const path = join(dir, 'crash.db');
    const result = await runChild(
      `
      import { openStorage } from 'STORAGE';
      const storage = await openStorage('sqlite:' + process.argv[2]);
      const rows = Array.from({ length: 500 }, (_, i) => ({ requestId: 'req-' + i, alias: 'fast', status: 200, costUsd: 0.01 }));
      await storage.usage.appendBatch(rows);
      process.kill(process.pid, 'SIGKILL');
    `,
      [path],
    );
    assert.equal(result.signal, 'SIGKILL', result.stderr);
    // The rows sit only in the write-ahead log: reopening must replay it.
    assert.ok(statSync(`${path}-wal`).size > 0);
    const storage = createSqliteStorage({ path });
    const page = await storage.usage.query({ limit: 1000 });
    assert.equal(page.rows.length, 500);
    assert.ok(Math.abs((await storage.usage.summarize())[0]!.costUsd - 5) < 1e-9);
    await storage.close();
  });
});
