/**
 * Folds results into one summary per prompt × target cell and checks each cell against its
 * thresholds: the suite's `thresholds`, overridden per target. With none written, every case must
 * pass (pass_rate 1), which is what a CI job expects from a test suite.
 *
 * @example
 * const summary = summarizeRun(results, { pass_rate: 0.9 }, { 'gpt-4o-mini': { score: 0.8 } });
 * summary.thresholdsPassed;   // false → `conduit eval` exits 1
 */
import { percentile } from '../stats/percentile.js';
import type { Thresholds } from '../suite/suite-schema.js';
import type { CellSummary, EvalCaseResult, RunSummary } from './eval-result.js';

const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / (values.length || 1);
const pct = (n: number) => `${(n * 100).toFixed(1)}%`;

function summarizeCell(promptId: string, targetId: string, rows: EvalCaseResult[]): CellSummary {
  const passed = rows.filter((r) => r.pass).length;
  const errors = rows.filter((r) => r.error !== undefined).length;
  const byMetric = new Map<string, number[]>();
  for (const row of rows)
    for (const a of row.assertions) {
      if (a.error) continue;
      const list = byMetric.get(a.metric) ?? [];
      list.push(a.score);
      byMetric.set(a.metric, list);
    }
  const latencies = rows.map((r) => r.latencyMs).filter((ms): ms is number => ms !== null);
  return {
    promptId,
    targetId,
    cases: rows.length,
    passed,
    failed: rows.length - passed - errors,
    errors,
    passRate: rows.length ? passed / rows.length : 0,
    meanScore: mean(rows.map((r) => r.score)),
    metrics: Object.fromEntries([...byMetric].map(([name, scores]) => [name, mean(scores)])),
    costUsd: rows.reduce((s, r) => s + (r.costUsd ?? 0), 0),
    costUnknown: rows.filter((r) => r.costUsd === null && r.error === undefined).length,
    latencyMs: latencies.length
      ? { mean: mean(latencies), p50: percentile(latencies, 50), p95: percentile(latencies, 95) }
      : null,
    cached: rows.filter((r) => r.cached).length,
    thresholdFailures: [],
  };
}

function check(cell: CellSummary, thresholds: Thresholds): string[] {
  const failures: string[] = [];
  const passRate = thresholds.pass_rate ?? 1;
  if (cell.passRate < passRate) failures.push(`pass rate ${pct(cell.passRate)} < ${pct(passRate)}`);
  if (thresholds.score !== undefined && cell.meanScore < thresholds.score)
    failures.push(`mean score ${cell.meanScore.toFixed(3)} < ${thresholds.score}`);
  for (const [name, min] of Object.entries(thresholds.metrics ?? {})) {
    const value = cell.metrics[name];
    if (value !== undefined && value < min) failures.push(`${name} ${value.toFixed(3)} < ${min}`);
  }
  return failures;
}

export function summarizeRun(
  results: readonly EvalCaseResult[],
  thresholds: Thresholds = {},
  targetThresholds: Record<string, Thresholds | undefined> = {},
): RunSummary {
  const cells = new Map<string, EvalCaseResult[]>();
  for (const row of results) {
    const key = `${row.promptId}\0${row.targetId}`;
    const list = cells.get(key) ?? [];
    list.push(row);
    cells.set(key, list);
  }
  const summaries: CellSummary[] = [];
  const failures: string[] = [];
  for (const rows of cells.values()) {
    const { promptId, targetId } = rows[0]!;
    const cell = summarizeCell(promptId, targetId, rows);
    const effective = { ...thresholds, ...targetThresholds[targetId] };
    cell.thresholdFailures = check(cell, effective);
    failures.push(...cell.thresholdFailures.map((f) => `${promptId} × ${targetId}: ${f}`));
    summaries.push(cell);
  }
  // A metric threshold that no assertion reports is almost always a typo in its name.
  const measured = new Set(summaries.flatMap((c) => Object.keys(c.metrics)));
  for (const name of Object.keys(thresholds.metrics ?? {}))
    if (!measured.has(name))
      failures.push(`thresholds.metrics.${name}: no assertion reports a metric named ${name}`);
  const passed = results.filter((r) => r.pass).length;
  return {
    cells: summaries,
    totals: {
      results: results.length,
      passed,
      failed: results.length - passed - results.filter((r) => r.error !== undefined).length,
      errors: results.filter((r) => r.error !== undefined).length,
      passRate: results.length ? passed / results.length : 0,
      costUsd: results.reduce((s, r) => s + (r.costUsd ?? 0), 0),
      cached: results.filter((r) => r.cached).length,
    },
    thresholdsPassed: failures.length === 0,
    thresholdFailures: failures,
  };
}
