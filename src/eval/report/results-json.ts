/**
 * `--output results.json`: the whole run — what ran, the summary per prompt × target, and every
 * result with its assertions — in one stable, versioned JSON document for scripts and dashboards.
 */
import type { EvalRunResult } from '../runner/eval-result.js';

export const RESULTS_FORMAT_VERSION = 1;

export function resultsJson(run: EvalRunResult, extra: { file?: string } = {}) {
  return {
    version: RESULTS_FORMAT_VERSION,
    run: {
      id: run.runId,
      ...(run.traceId ? { traceId: run.traceId } : {}),
      suite: run.suite,
      ...(extra.file ? { file: extra.file } : {}),
      startedAt: new Date(run.startedAt).toISOString(),
      finishedAt: new Date(run.finishedAt).toISOString(),
      durationMs: run.durationMs,
    },
    summary: run.summary,
    results: run.results,
  };
}
