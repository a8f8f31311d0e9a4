import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mcnemarTest } from '../stats/mcnemar.js';
import { pairedBootstrap } from '../stats/paired-bootstrap.js';
import { type ComparableResult, compareRuns } from './compare-runs.js';

const row = (caseId: string, score: number, extra: Partial<ComparableResult> = {}): ComparableResult => ({
  caseId,
  promptId: 'p',
  targetId: 'model-a',
  pass: score >= 0.5,
  score,
  output: 'x',
  ...extra,
});

describe('compareRuns', () => {
  const scoresA = [0.2, 0.9, 0.5, 0.4, 0.8, 0.1, 0.6, 0.3];
  const scoresB = [0.7, 0.9, 0.6, 0.9, 0.7, 0.6, 0.6, 0.8];
  const runA = scoresA.map((s, i) => row(`c${i}`, s));
  const runB = scoresB.map((s, i) => row(`c${i}`, s));

  test('win/loss/tie per case by score', () => {
    const c = compareRuns(runA, runB);
    assert.equal(c.pairedBy, 'case+prompt+target');
    assert.deepEqual([c.wins, c.losses, c.ties, c.pairs.length], [5, 1, 2, 8]);
    assert.ok(Math.abs(c.meanScoreB - c.meanScoreA - 0.25) < 1e-12);
  });

  test('the bootstrap interval and McNemar are those of src/eval/stats on the paired data', () => {
    const c = compareRuns(runA, runB, { seed: 7, resamples: 500 });
    assert.deepEqual(c.bootstrap, pairedBootstrap(scoresA, scoresB, { seed: 7, resamples: 500 }));
    // A passes c1, c2, c4, c6; B passes all but none fail only in B: b = 0, c = 4.
    assert.deepEqual(c.mcnemar, mcnemarTest(0, 4));
    assert.equal(c.passRateA, 0.5);
    assert.equal(c.passRateB, 1);
  });

  test('runs of two different targets pair on case and prompt', () => {
    const c = compareRuns(
      runA,
      runB.map((r) => ({ ...r, targetId: 'model-b' })),
    );
    assert.equal(c.pairedBy, 'case+prompt');
    assert.equal(c.pairs.length, 8);
  });

  test('errored pairs and unmatched cases are counted, not measured', () => {
    const c = compareRuns(
      [...runA, row('only-a', 1)],
      runB.map((r, i) => (i === 0 ? { ...r, error: 'timeout', score: 0, pass: false } : r)),
    );
    assert.deepEqual([c.errored, c.onlyA, c.onlyB, c.wins + c.losses + c.ties], [1, 1, 0, 7]);
    assert.equal(c.pairs[0]!.outcome, null);
  });

  test('runs without a shared case are refused', () => {
    assert.throws(() => compareRuns([row('a', 1)], [row('b', 1)]), /share no cases/);
  });
});
