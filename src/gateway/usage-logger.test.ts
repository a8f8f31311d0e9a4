import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createMemoryUsageLog } from '../storage/memory/memory-usage-log.js';
import type { UsageLog, UsageRecordInput } from '../storage/ports/usage-log.js';
import { createUsageLogger, isTransientStoreError, NO_MODEL, normaliseUsageRow } from './usage-logger.js';

const row = (n: number, extra: Partial<UsageRecordInput> = {}): UsageRecordInput => ({
  requestId: `req-${n}`,
  alias: 'fast',
  status: 200,
  ...extra,
});

const ids = async (log: UsageLog) =>
  (await log.query({ limit: 1000 })).rows.map((r) => r.requestId).sort((a, b) => a.localeCompare(b));

const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

/** A memory log whose appendBatch can be made to fail. */
function flakyLog(fail: (rows: UsageRecordInput[]) => unknown) {
  const inner = createMemoryUsageLog(() => 1_700_000_000_000);
  let calls = 0;
  const log: UsageLog = {
    ...inner,
    async appendBatch(rows) {
      calls++;
      const error = fail(rows);
      if (error) throw error;
      await inner.appendBatch(rows);
    },
  };
  return { log, calls: () => calls };
}

describe('usage logger', () => {
  test('normalises rows the store would refuse', () => {
    const n = normaliseUsageRow({
      requestId: '',
      alias: '',
      status: Number.NaN,
      promptTokens: Number.POSITIVE_INFINITY,
      costUsd: -1,
      latencyMs: Number.NaN,
      ttftMs: Number.NaN,
      createdAt: Number.NaN,
      deployment: 'd'.repeat(10_000),
    });
    assert.equal(n.alias, NO_MODEL);
    assert.ok(n.requestId.length > 0);
    assert.equal(n.status, 0);
    assert.equal(n.promptTokens, 0);
    assert.equal(n.costUsd, 0);
    assert.equal(n.latencyMs, 0);
    assert.equal(n.ttftMs, null);
    assert.ok(Number.isFinite(n.createdAt));
    assert.equal(n.deployment?.length, 256);
  });

  test('a row the store refuses is dead-lettered; the rest of its batch and later rows are written', async () => {
    const { log } = flakyLog((rows) =>
      rows.some((r) => r.requestId === 'req-2') ? new Error('bad row req-2') : undefined,
    );
    const errors: unknown[] = [];
    const logger = createUsageLogger(log, { batchSize: 10, flushMs: 5, onError: (e) => errors.push(e) });
    for (const n of [1, 2, 3]) logger.log(row(n));
    await logger.flush();
    assert.deepEqual(await ids(log), ['req-1', 'req-3']);
    const dead = await log.deadLetters();
    assert.deepEqual(
      dead.map((d) => [d.row.requestId, d.error]),
      [['req-2', 'bad row req-2']],
    );
    assert.equal(logger.deadLettered, 1);
    assert.equal(logger.pending, 0);
    logger.log(row(4));
    await logger.flush();
    assert.deepEqual(await ids(log), ['req-1', 'req-3', 'req-4']);
    assert.equal(errors.length, 1);
  });

  test('a duplicate request id goes to the dead letters instead of blocking the queue', async () => {
    const log = createMemoryUsageLog(() => 1);
    const logger = createUsageLogger(log, { batchSize: 10 });
    logger.log(row(1));
    await logger.flush();
    logger.log(row(1, { status: 500 }));
    logger.log(row(2));
    await logger.flush();
    assert.deepEqual(await ids(log), ['req-1', 'req-2']);
    assert.equal((await log.deadLetters()).length, 1);
  });

  test('a store that is down transiently: rows are kept and the next attempt waits for the backoff', async () => {
    const { log, calls } = flakyLog(() => busy());
    let errors = 0;
    // A backoff no test run can outlast: any second attempt would be hammering.
    const logger = createUsageLogger(log, {
      batchSize: 2,
      flushMs: 1,
      retryBaseMs: 600_000,
      onError: () => errors++,
    });
    for (const n of [1, 2, 3]) logger.log(row(n));
    await logger.flush(); // an explicit flush tries the store once more
    const attempted = calls();
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    assert.equal(calls(), attempted, 'no further attempt until the backoff timer fires');
    assert.equal(logger.pending, 3, 'nothing lost or dead-lettered while the store is down');
    assert.deepEqual(await log.deadLetters(), []);
    assert.ok(errors >= 1);
  });

  test('a store that comes back: the kept rows are written by the backoff retries', async () => {
    let down = true;
    const { log } = flakyLog(() => (down ? busy() : undefined));
    const logger = createUsageLogger(log, { batchSize: 2, flushMs: 1, retryBaseMs: 5, retryMaxMs: 5 });
    for (const n of [1, 2, 3]) logger.log(row(n));
    await logger.flush();
    down = false;
    // Waits for the logger's own retry timer (5 ms); the bound only stops a hang from hanging the suite.
    for (let i = 0; i < 2_000 && logger.pending > 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(await ids(log), ['req-1', 'req-2', 'req-3']);
    assert.equal(logger.pending, 0);
  });

  test('the queue is bounded: rows past the bound are dropped, counted, reported once per burst', async () => {
    const { log } = flakyLog(() => busy());
    const drops: number[] = [];
    const logger = createUsageLogger(log, {
      batchSize: 2,
      maxQueue: 5,
      flushMs: 60_000,
      retryBaseMs: 60_000,
      onDrop: ({ droppedTotal }) => drops.push(droppedTotal),
    });
    for (let n = 0; n < 20; n++) logger.log(row(n));
    await logger.flush();
    assert.ok(logger.pending <= 5, `pending: ${logger.pending}`);
    assert.equal(logger.dropped + logger.pending, 20);
    assert.equal(drops.length, 1, 'one report per burst');
    await logger.close();
  });

  test('transient errors are told from bad rows', () => {
    assert.equal(isTransientStoreError(busy()), true);
    assert.equal(isTransientStoreError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })), true);
    assert.equal(isTransientStoreError(new Error('alias must not be empty')), false);
  });
});
