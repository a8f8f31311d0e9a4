/** In-memory `EvalStore`. */
import { ConduitError } from '../../core/errors.js';
import type { EvalResult, EvalRun, EvalStore } from '../ports/eval-store.js';
import { checkNonEmpty, pageLimit } from '../shared/checks.js';
import { toEvalResult } from '../shared/eval-records.js';
import { jsonClone } from '../shared/json.js';

export function createMemoryEvalStore(now: () => number): EvalStore {
  const runs = new Map<string, { run: Omit<EvalRun, 'resultCount'>; results: EvalResult[] }>();

  const view = (id: string): EvalRun | undefined => {
    const entry = runs.get(id);
    return entry && jsonClone({ ...entry.run, resultCount: entry.results.length });
  };
  const mustGet = (id: string) => {
    const entry = runs.get(id);
    if (!entry) throw new ConduitError('not_found', `Eval run ${id} not found`);
    return entry;
  };

  return {
    async createRun(input) {
      const id = checkNonEmpty(input.id, 'id');
      const run = {
        id,
        suite: checkNonEmpty(input.suite, 'suite'),
        config: jsonClone(input.config ?? null, 'config'),
        status: 'running' as const,
        startedAt: input.startedAt ?? now(),
        finishedAt: null,
        summary: null,
      };
      if (runs.has(id)) throw new ConduitError('conflict', `Eval run ${id} already exists`);
      runs.set(id, { run, results: [] });
      return view(id) as EvalRun;
    },
    async appendResults(runId, rows) {
      const entry = mustGet(runId);
      const at = now();
      entry.results.push(...rows.map((row) => toEvalResult(runId, row, at)));
    },
    async finishRun(runId, outcome) {
      const entry = mustGet(runId);
      entry.run = {
        ...entry.run,
        status: outcome.status ?? 'finished',
        finishedAt: outcome.finishedAt ?? now(),
        summary: jsonClone(outcome.summary ?? null, 'summary'),
      };
      return view(runId) as EvalRun;
    },
    async getRun(id) {
      return view(id);
    },
    async listRuns(query = {}) {
      const limit = pageLimit(query.limit, 50, 1000);
      return [...runs.values()]
        .map((e) => e.run)
        .filter(
          (r) =>
            (query.suite === undefined || r.suite === query.suite) &&
            (query.before === undefined || r.startedAt < query.before),
        )
        .sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .slice(0, limit)
        .map((r) => view(r.id) as EvalRun);
    },
    async getResults(runId) {
      return jsonClone(runs.get(runId)?.results ?? []);
    },
    async deleteRun(id) {
      return runs.delete(id);
    },
  };
}
