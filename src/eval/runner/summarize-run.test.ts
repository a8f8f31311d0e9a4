import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EvalCaseResult } from './eval-result.js';
import { summarizeRun } from './summarize-run.js';

const result = (index: number, pass: boolean, extra: Partial<EvalCaseResult> = {}): EvalCaseResult => ({
  index,
  caseId: `c${index}`,
  promptId: 'p',
  targetId: 't',
  vars: {},
  output: 'x',
  pass,
  score: pass ? 1 : 0.5,
  latencyMs: 100 * (index + 1),
  costUsd: 0.01,
  cached: index === 0,
  assertions: [{ type: 'bleu', metric: 'bleu', weight: 1, pass, score: pass ? 0.8 : 0.2, reason: '' }],
  ...extra,
});

describe('summarizeRun', () => {
  const rows = [result(0, true), result(1, true), result(2, true), result(3, false)];

  test('per cell: pass rate, mean score, metric means, cost, latency percentiles, cache hits', () => {
    const [cell] = summarizeRun(rows).cells;
    assert.deepEqual(
      [cell!.cases, cell!.passed, cell!.failed, cell!.errors, cell!.passRate],
      [4, 3, 1, 0, 0.75],
    );
    assert.equal(cell!.meanScore, 0.875);
    assert.ok(Math.abs(cell!.metrics.bleu! - 0.65) < 1e-12);
    assert.ok(Math.abs(cell!.costUsd - 0.04) < 1e-12);
    assert.deepEqual([cell!.latencyMs!.mean, cell!.latencyMs!.p50], [250, 250]);
    assert.ok(Math.abs(cell!.latencyMs!.p95 - 385) < 1e-9, 'numpy-style linear percentile');
    assert.equal(cell!.cached, 1);
  });

  test('by default every case must pass; thresholds relax that, per target too', () => {
    assert.deepEqual(summarizeRun(rows).thresholdFailures, ['p × t: pass rate 75.0% < 100.0%']);
    assert.equal(summarizeRun(rows, { pass_rate: 0.75 }).thresholdsPassed, true);
    assert.deepEqual(
      summarizeRun(rows, { pass_rate: 0.5, score: 0.9, metrics: { bleu: 0.7 } }).thresholdFailures,
      ['p × t: mean score 0.875 < 0.9', 'p × t: bleu 0.650 < 0.7'],
    );
    assert.equal(summarizeRun(rows, {}, { t: { pass_rate: 0.7 } }).thresholdsPassed, true);
  });

  test('a metric threshold nobody reports is flagged (a typo in its name)', () => {
    assert.match(
      summarizeRun(rows, { pass_rate: 0, metrics: { blue: 0.1 } }).thresholdFailures[0]!,
      /no assertion reports a metric named blue/,
    );
  });

  test('errors count against the pass rate and separately', () => {
    const summary = summarizeRun([
      ...rows,
      result(4, false, { error: 'timeout', output: null, costUsd: null, latencyMs: null, assertions: [] }),
    ]);
    assert.deepEqual([summary.totals.errors, summary.totals.failed, summary.cells[0]!.passRate], [1, 1, 0.6]);
  });
});
