/** Contract every `EvalStore` adapter must pass. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EvalStore } from '../ports/eval-store.js';
import { type PortFactory, rejectsWithCode, withPort } from './port-fixture.js';

export function evalStoreContract(adapter: string, factory: PortFactory<EvalStore>): void {
  const run = (body: (evals: EvalStore) => Promise<void>) => () => withPort(factory, body);

  describe(`EvalStore contract (${adapter})`, () => {
    test(
      'a run records results in order and finishes with a summary',
      run(async (evals) => {
        const created = await evals.createRun({
          id: 'r1',
          suite: 'qa',
          config: { model: 'fast', n: 2 },
          startedAt: 1000,
        });
        assert.deepEqual(created, {
          id: 'r1',
          suite: 'qa',
          config: { model: 'fast', n: 2 },
          status: 'running',
          startedAt: 1000,
          finishedAt: null,
          summary: null,
          resultCount: 0,
        });
        await evals.appendResults('r1', [
          {
            caseId: 'c1',
            promptId: 'p',
            targetId: 'fast',
            output: 'Paris',
            pass: true,
            score: 1,
            metrics: { em: 1 },
            costUsd: 0.001,
            latencyMs: 120,
          },
          { caseId: 'c2', pass: false, score: -0.5, error: 'timeout' },
        ]);
        await evals.appendResults('r1', [{ caseId: 'c3' }]);
        const results = await evals.getResults('r1');
        assert.deepEqual(
          results.map((r) => r.caseId),
          ['c1', 'c2', 'c3'],
        );
        assert.deepEqual(
          { ...results[0], createdAt: 0 },
          {
            runId: 'r1',
            caseId: 'c1',
            promptId: 'p',
            targetId: 'fast',
            output: 'Paris',
            pass: true,
            score: 1,
            metrics: { em: 1 },
            costUsd: 0.001,
            latencyMs: 120,
            error: null,
            createdAt: 0,
          },
        );
        assert.equal(results[1]?.pass, false);
        assert.equal(results[2]?.pass, null);
        const finished = await evals.finishRun('r1', { summary: { passRate: 0.5 }, finishedAt: 2000 });
        assert.equal(finished.status, 'finished');
        assert.equal(finished.finishedAt, 2000);
        assert.deepEqual(finished.summary, { passRate: 0.5 });
        assert.equal(finished.resultCount, 3);
        assert.deepEqual(await evals.getRun('r1'), finished);
      }),
    );

    test(
      'duplicate run ids conflict; unknown runs are not_found',
      run(async (evals) => {
        await evals.createRun({ id: 'r1', suite: 'qa' });
        await rejectsWithCode(evals.createRun({ id: 'r1', suite: 'qa' }), 'conflict');
        await rejectsWithCode(evals.appendResults('nope', [{ caseId: 'c' }]), 'not_found');
        await rejectsWithCode(evals.finishRun('nope', {}), 'not_found');
        assert.equal(await evals.getRun('nope'), undefined);
        assert.deepEqual(await evals.getResults('nope'), []);
      }),
    );

    test(
      'a batch with an invalid row stores nothing',
      run(async (evals) => {
        await evals.createRun({ id: 'r1', suite: 'qa' });
        await rejectsWithCode(
          evals.appendResults('r1', [
            { caseId: 'c1', score: 1 },
            { caseId: 'c2', score: Number.NaN },
          ]),
          'bad_request',
        );
        assert.deepEqual(await evals.getResults('r1'), []);
      }),
    );

    test(
      'runs list newest first, by suite, and page with before',
      run(async (evals) => {
        await evals.createRun({ id: 'a', suite: 'qa', startedAt: 1 });
        await evals.createRun({ id: 'b', suite: 'rag', startedAt: 2 });
        await evals.createRun({ id: 'c', suite: 'qa', startedAt: 3 });
        const ids = async (q?: Parameters<EvalStore['listRuns']>[0]) =>
          (await evals.listRuns(q)).map((r) => r.id);
        assert.deepEqual(await ids(), ['c', 'b', 'a']);
        assert.deepEqual(await ids({ suite: 'qa' }), ['c', 'a']);
        assert.deepEqual(await ids({ before: 3, limit: 1 }), ['b']);
      }),
    );

    test(
      'deleting a run deletes its results',
      run(async (evals) => {
        await evals.createRun({ id: 'r1', suite: 'qa' });
        await evals.appendResults('r1', [{ caseId: 'c1' }]);
        assert.equal(await evals.deleteRun('r1'), true);
        assert.equal(await evals.deleteRun('r1'), false);
        assert.deepEqual(await evals.getResults('r1'), []);
        await evals.createRun({ id: 'r1', suite: 'qa' });
        assert.equal((await evals.getRun('r1'))?.resultCount, 0);
      }),
    );
  });
}
