/** Contract every `UsageLog` adapter must pass. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { UsageLog, UsageRecordInput } from '../ports/usage-log.js';
import { assertClose, type PortFactory, rejectsWithCode, withPort } from './port-fixture.js';

const T0 = 1_700_000_000_000;

function row(n: number, extra: Partial<UsageRecordInput> = {}): UsageRecordInput {
  return { requestId: `req-${n}`, alias: 'fast', status: 200, createdAt: T0 + n, latencyMs: 100, ...extra };
}

export function usageLogContract(adapter: string, factory: PortFactory<UsageLog>): void {
  const run = (body: (usage: UsageLog) => Promise<void>) => () => withPort(factory, body);

  describe(`UsageLog contract (${adapter})`, () => {
    test(
      'appended rows come back newest first with every field and defaults filled in',
      run(async (usage) => {
        await usage.appendBatch([
          row(1),
          row(2, {
            clientRequestId: 'client-abc',
            traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
            keyId: 'k1',
            deployment: 'openai/gpt-4o-mini',
            provider: 'openai',
            promptTokens: 12,
            completionTokens: 34,
            cachedTokens: 5,
            costUsd: 0.0123,
            ttftMs: 40.5,
            cacheHit: true,
            retries: 2,
            metadata: { user: 'u1', tags: ['a'] },
          }),
        ]);
        const { rows, nextCursor } = await usage.query();
        assert.equal(nextCursor, null);
        assert.deepEqual(
          rows.map((r) => r.requestId),
          ['req-2', 'req-1'],
        );
        assert.deepEqual(rows[0], {
          requestId: 'req-2',
          clientRequestId: 'client-abc',
          traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
          keyId: 'k1',
          alias: 'fast',
          deployment: 'openai/gpt-4o-mini',
          provider: 'openai',
          status: 200,
          errorCode: null,
          promptTokens: 12,
          completionTokens: 34,
          cachedTokens: 5,
          costUsd: 0.0123,
          latencyMs: 100,
          ttftMs: 40.5,
          cacheHit: true,
          retries: 2,
          createdAt: T0 + 2,
          metadata: { user: 'u1', tags: ['a'] },
        });
        assert.equal(rows[1]?.cacheHit, false);
        assert.equal(rows[1]?.keyId, null);
        assert.equal(rows[1]?.costUsd, 0);
        assert.equal(rows[1]?.traceId, null);
        assert.equal(rows[1]?.clientRequestId, null);
      }),
    );

    test(
      'a batch with a duplicate requestId is refused whole',
      run(async (usage) => {
        await usage.appendBatch([row(1)]);
        await rejectsWithCode(usage.appendBatch([row(2), row(3), row(1), row(4)]), 'conflict');
        await rejectsWithCode(usage.appendBatch([row(5), row(5)]), 'conflict');
        assert.deepEqual(
          (await usage.query()).rows.map((r) => r.requestId),
          ['req-1'],
        );
      }),
    );

    test(
      'a batch with an invalid number is refused whole',
      run(async (usage) => {
        await rejectsWithCode(usage.appendBatch([row(1), row(2, { costUsd: Number.NaN })]), 'bad_request');
        await rejectsWithCode(usage.appendBatch([row(3), row(4, { promptTokens: -5 })]), 'bad_request');
        assert.deepEqual((await usage.query()).rows, []);
      }),
    );

    test(
      'query filters by time window, key and alias',
      run(async (usage) => {
        await usage.appendBatch([
          row(1, { keyId: 'a' }),
          row(2, { keyId: 'b' }),
          row(3, { keyId: 'a', alias: 'smart' }),
          row(4, { keyId: 'a' }),
        ]);
        const ids = async (q: Parameters<UsageLog['query']>[0]) =>
          (await usage.query(q)).rows.map((r) => r.requestId);
        assert.deepEqual(await ids({ since: T0 + 2, until: T0 + 4 }), ['req-3', 'req-2']);
        assert.deepEqual(await ids({ keyId: 'a' }), ['req-4', 'req-3', 'req-1']);
        assert.deepEqual(await ids({ keyId: 'a', alias: 'fast' }), ['req-4', 'req-1']);
      }),
    );

    test(
      'query filters by status code, status class and errors',
      run(async (usage) => {
        await usage.appendBatch([
          row(1, { status: 200 }),
          row(2, { status: 404 }),
          row(3, { status: 429 }),
          row(4, { status: 502 }),
          // A stream that failed after its 200 headers went out is an error too.
          row(5, { status: 200, errorCode: 'upstream_error' }),
          row(6, { status: 201 }),
        ]);
        const ids = async (q: Parameters<UsageLog['query']>[0]) =>
          (await usage.query(q)).rows.map((r) => r.requestId);
        assert.deepEqual(await ids({ status: 200 }), ['req-5', 'req-1']);
        assert.deepEqual(await ids({ status: '2xx' }), ['req-6', 'req-5', 'req-1']);
        assert.deepEqual(await ids({ status: '4xx' }), ['req-3', 'req-2']);
        assert.deepEqual(await ids({ status: '5xx' }), ['req-4']);
        assert.deepEqual(await ids({ status: 'error' }), ['req-5', 'req-4', 'req-3', 'req-2']);
        assert.deepEqual(await ids({ status: '4xx', since: T0 + 3 }), ['req-3']);
        assert.deepEqual(await ids({ status: 'error', limit: 2 }), ['req-5', 'req-4']);
        await rejectsWithCode(usage.query({ status: '3xx' as 'error' }), 'bad_request');
        await rejectsWithCode(usage.query({ status: 2.5 }), 'bad_request');
        const [summary] = await usage.summarize({ status: 'error', alias: 'fast' });
        assert.equal(summary?.requests, 4);
        assert.equal(summary?.errors, 4);
        assert.deepEqual(await usage.summarize({ alias: 'other' }), []);
      }),
    );

    test(
      'cursor pages visit every row once, even when timestamps tie',
      run(async (usage) => {
        const rows = Array.from({ length: 25 }, (_, i) => row(i, { createdAt: T0 + Math.floor(i / 4) }));
        await usage.appendBatch(rows);
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await usage.query({ limit: 10, cursor });
          seen.push(...page.rows.map((r) => r.requestId));
          cursor = page.nextCursor ?? undefined;
          pages++;
        } while (cursor);
        assert.equal(pages, 3);
        assert.equal(seen.length, 25);
        assert.equal(new Set(seen).size, 25);
        await rejectsWithCode(usage.query({ cursor: 'garbage' }), 'bad_request');
      }),
    );

    test(
      'spend sums one key from a point in time',
      run(async (usage) => {
        await usage.appendBatch([
          row(1, { keyId: 'a', costUsd: 1.5 }),
          row(2, { keyId: 'a', costUsd: 0.25 }),
          row(3, { keyId: 'b', costUsd: 7 }),
          row(4, { keyId: 'a', costUsd: 0.1 }),
        ]);
        assertClose(await usage.spend({ keyId: 'a' }), 1.85);
        assertClose(await usage.spend({ keyId: 'a', since: T0 + 2 }), 0.35);
        assert.equal(await usage.spend({ keyId: 'nobody' }), 0);
      }),
    );

    test(
      'summarize groups counts, tokens, cost and latency percentiles',
      run(async (usage) => {
        const rows = Array.from({ length: 20 }, (_, i) =>
          row(i, { alias: 'fast', latencyMs: i + 1, promptTokens: 10, costUsd: 0.01, cacheHit: i < 3 }),
        );
        rows.push(row(100, { alias: 'smart', latencyMs: 900, costUsd: 1, status: 502, completionTokens: 7 }));
        await usage.appendBatch(rows);
        const summary = await usage.summarize({ groupBy: 'alias' });
        assert.deepEqual(
          summary.map((s) => s.group),
          ['smart', 'fast'],
        );
        const fast = summary[1];
        assert.equal(fast?.requests, 20);
        assert.equal(fast?.errors, 0);
        assert.equal(fast?.promptTokens, 200);
        assert.equal(fast?.cacheHits, 3);
        assertClose(fast?.costUsd ?? 0, 0.2);
        assert.equal(fast?.latencyP50Ms, 10);
        assert.equal(fast?.latencyP95Ms, 19);
        assert.equal(summary[0]?.errors, 1);
        assert.equal(summary[0]?.latencyP95Ms, 900);
        const total = await usage.summarize({ since: T0 + 10 });
        assert.equal(total.length, 1);
        assert.equal(total[0]?.group, null);
        assert.equal(total[0]?.requests, 11);
        assert.deepEqual(await usage.summarize({ since: T0 + 1000 }), []);
      }),
    );

    test(
      'deleteBefore removes only older rows',
      run(async (usage) => {
        await usage.appendBatch([row(1), row(2), row(3)]);
        assert.equal(await usage.deleteBefore(T0 + 3), 2);
        assert.deepEqual(
          (await usage.query()).rows.map((r) => r.requestId),
          ['req-3'],
        );
      }),
    );

    test(
      'dead letters keep refused rows with the error, newest first, outside the log',
      run(async (usage) => {
        await usage.deadLetter([row(1, { alias: '' }), row(2, { costUsd: Number.NaN })], 'alias is empty');
        await usage.deadLetter([row(3)], 'second');
        await usage.deadLetter([], 'nothing');
        const dead = await usage.deadLetters();
        assert.deepEqual(
          dead.map((d) => [d.row.requestId, d.error]),
          [
            ['req-3', 'second'],
            ['req-2', 'alias is empty'],
            ['req-1', 'alias is empty'],
          ],
        );
        assert.equal(dead[1]?.row.costUsd, null, 'NaN is stored as JSON null');
        assert.equal(dead[2]?.row.alias, '');
        assert.equal(typeof dead[0]?.createdAt, 'number');
        assert.equal((await usage.deadLetters({ limit: 1 })).length, 1);
        assert.deepEqual((await usage.query()).rows, [], 'dead letters are not usage rows');
      }),
    );
  });
}
