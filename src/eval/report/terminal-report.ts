/**
 * What `conduit eval` prints: the prompt × target table (pass rate, mean score, metric means,
 * cost, latency, cache hits), the first failures with their reasons, and the threshold verdict;
 * and for `conduit eval compare`, the paired statistics and the cases that changed.
 */

import type { EvalRun } from '../../storage/ports/eval-store.js';
import type { RunComparison } from '../runner/compare-runs.js';
import type { EvalRunResult } from '../runner/eval-result.js';
import { textTable } from './text-table.js';

const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
const usd = (n: number) => `$${n.toFixed(n > 0 && n < 0.01 ? 5 : 4)}`;
const flat = (text: string, max = 80) => {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
};

export function runReport(run: EvalRunResult, options: { maxFailures?: number } = {}): string {
  const { summary } = run;
  const rows = summary.cells.map((c) => [
    c.promptId,
    c.targetId,
    `${c.passed}/${c.cases}`,
    pct(c.passRate),
    c.meanScore.toFixed(3),
    c.costUnknown === c.cases ? '–' : usd(c.costUsd),
    c.latencyMs ? `${Math.round(c.latencyMs.p50)}/${Math.round(c.latencyMs.p95)} ms` : '–',
    String(c.cached),
    c.thresholdFailures.length ? 'FAIL' : 'ok',
  ]);
  const out = [
    textTable(
      ['prompt', 'target', 'passed', 'rate', 'score', 'usd', 'p50/p95', 'cached', 'thresholds'],
      rows,
    ).trimEnd(),
  ];
  // Metric means get their own table, one row per metric: a suite easily has more metrics than a
  // terminal has room for as columns.
  const metricNames = [...new Set(summary.cells.flatMap((c) => Object.keys(c.metrics)))].sort();
  if (metricNames.length > 0) {
    const metricRows = metricNames.map((m) => [
      m,
      ...summary.cells.map((c) => (c.metrics[m] === undefined ? '–' : c.metrics[m]!.toFixed(3))),
    ]);
    const headers = ['mean score', ...summary.cells.map((c) => `${c.promptId} × ${c.targetId}`)];
    out.push('', textTable(headers, metricRows).trimEnd());
  }
  const failing = run.results.filter((r) => !r.pass).sort((a, b) => a.index - b.index);
  const max = options.maxFailures ?? 10;
  if (failing.length > 0) {
    out.push(`\nFailures (${failing.length}${failing.length > max ? `, first ${max}` : ''}):`);
    for (const r of failing.slice(0, max)) {
      const why =
        r.error ??
        r.assertions.filter((a) => !a.pass && a.weight > 0).map((a) => `${a.type}: ${a.reason}`)[0] ??
        'below the case threshold';
      out.push(`  ${r.caseId} [${r.promptId} × ${r.targetId}] ${flat(why)}`);
      if (r.output !== null) out.push(`    output: ${flat(r.output)}`);
    }
  }
  const t = summary.totals;
  out.push(
    `\n${t.results} results: ${t.passed} passed, ${t.failed} failed, ${t.errors} errors, ${t.cached} cached · ${usd(t.costUsd)} · ${(run.durationMs / 1000).toFixed(1)} s · run ${run.runId}${run.traceId ? ` · trace ${run.traceId}` : ''}`,
  );
  out.push(
    summary.thresholdsPassed
      ? 'Thresholds hold.'
      : `Thresholds fail:\n${summary.thresholdFailures.map((f) => `  ${f}`).join('\n')}`,
  );
  return `${out.join('\n')}\n`;
}

export function compareReport(
  c: RunComparison,
  labels: { a: string; b: string },
  options: { maxCases?: number } = {},
): string {
  const out = [
    `A = ${labels.a}\nB = ${labels.b}\n${c.pairs.length} paired results (by ${c.pairedBy})${c.onlyA || c.onlyB ? `; ${c.onlyA} only in A, ${c.onlyB} only in B` : ''}${c.errored ? `; ${c.errored} with errors left out` : ''}\n`,
    textTable(
      ['', 'A', 'B', 'B − A'],
      [
        ['pass rate', pct(c.passRateA), pct(c.passRateB), pct(c.passRateB - c.passRateA)],
        [
          'mean score',
          c.meanScoreA.toFixed(3),
          c.meanScoreB.toFixed(3),
          (c.meanScoreB - c.meanScoreA).toFixed(3),
        ],
      ],
    ),
    `B wins ${c.wins}, loses ${c.losses}, ties ${c.ties} (by case score)`,
  ];
  if (c.bootstrap) {
    const b = c.bootstrap;
    out.push(
      `score difference ${b.meanDifference.toFixed(4)}, ${Math.round(b.confidence * 100)}% CI [${b.low.toFixed(4)}, ${b.high.toFixed(4)}] (paired bootstrap, ${b.resamples} resamples, seed ${b.seed}): ${b.significant ? 'significant' : 'not significant'}`,
    );
  }
  if (c.mcnemar) {
    const m = c.mcnemar;
    out.push(
      `pass/fail: ${m.b} passed only in A, ${m.c} only in B; McNemar ${m.method} p = ${m.pValue.toPrecision(4)}${m.pValue < 0.05 ? ' (significant at 0.05)' : ''}`,
    );
  }
  const changed = c.pairs.filter((p) => p.outcome === 'win' || p.outcome === 'loss' || p.a.pass !== p.b.pass);
  const max = options.maxCases ?? 20;
  if (changed.length > 0) {
    out.push(`\nChanged cases (${changed.length}${changed.length > max ? `, first ${max}` : ''}):`);
    const rows = changed
      .slice(0, max)
      .map((p) => [
        p.key.replaceAll('\0', ' · '),
        p.a.error ? 'error' : `${p.a.pass ? 'pass' : 'fail'} ${p.a.score?.toFixed(3)}`,
        p.b.error ? 'error' : `${p.b.pass ? 'pass' : 'fail'} ${p.b.score?.toFixed(3)}`,
        p.outcome ?? '–',
      ]);
    out.push(textTable(['case', 'A', 'B', 'B vs A'], rows).trimEnd());
  }
  return `${out.join('\n')}\n`;
}

/** `conduit eval list`: stored runs, newest first. */
export function runsTable(runs: readonly EvalRun[]): string {
  if (runs.length === 0) return 'No runs stored yet.\n';
  const rows = runs.map((r) => {
    const totals = (r.summary as { totals?: { passRate: number } } | null)?.totals;
    return [
      r.id,
      r.suite,
      r.status,
      new Date(r.startedAt).toISOString().slice(0, 19).replace('T', ' '),
      String(r.resultCount),
      totals ? pct(totals.passRate) : '–',
    ];
  });
  return textTable(['run', 'suite', 'status', 'started', 'results', 'pass rate'], rows);
}
