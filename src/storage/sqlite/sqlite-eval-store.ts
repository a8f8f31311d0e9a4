/** SQLite adapter of `EvalStore`. */
import { ConduitError } from '../../core/errors.js';
import type { EvalResult, EvalRun, EvalStore } from '../ports/eval-store.js';
import { checkNonEmpty, pageLimit } from '../shared/checks.js';
import { toEvalResult } from '../shared/eval-records.js';
import { fromJson, toJson } from '../shared/json.js';
import { mapSqliteError, type SqliteDatabase } from './sqlite-database.js';

interface RunRow {
  id: string;
  suite: string;
  config: string;
  status: EvalRun['status'];
  started_at: number;
  finished_at: number | null;
  summary: string;
  result_count: number;
}

interface ResultRow {
  run_id: string;
  case_id: string;
  prompt_id: string | null;
  target_id: string | null;
  output: string | null;
  pass: number | null;
  score: number | null;
  metrics: string;
  cost_usd: number | null;
  latency_ms: number | null;
  error: string | null;
  created_at: number;
}

const runFromRow = (row: RunRow): EvalRun => ({
  id: row.id,
  suite: row.suite,
  config: fromJson<unknown>(row.config, null),
  status: row.status,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  summary: fromJson<unknown>(row.summary, null),
  resultCount: row.result_count,
});

const resultFromRow = (row: ResultRow): EvalResult => ({
  runId: row.run_id,
  caseId: row.case_id,
  promptId: row.prompt_id,
  targetId: row.target_id,
  output: row.output,
  pass: row.pass === null ? null : row.pass === 1,
  score: row.score,
  metrics: fromJson<Record<string, unknown>>(row.metrics, {}),
  costUsd: row.cost_usd,
  latencyMs: row.latency_ms,
  error: row.error,
  createdAt: row.created_at,
});

const RUN_COLUMNS = `r.*, (SELECT COUNT(*) FROM eval_results x WHERE x.run_id = r.id) AS result_count`;

export function createSqliteEvalStore(db: SqliteDatabase, now: () => number): EvalStore {
  const insertRun = db.prepare(
    `INSERT INTO eval_runs (id, suite, config, status, started_at, finished_at, summary)
     VALUES (?, ?, ?, 'running', ?, NULL, 'null')`,
  );
  const runById = db.prepare<[string], RunRow>(`SELECT ${RUN_COLUMNS} FROM eval_runs r WHERE r.id = ?`);
  const runExists = db.prepare('SELECT 1 FROM eval_runs WHERE id = ?').pluck();
  const insertResult =
    db.prepare(`INSERT INTO eval_results (run_id, case_id, prompt_id, target_id, output, pass,
    score, metrics, cost_usd, latency_ms, error, created_at) VALUES (@runId, @caseId, @promptId, @targetId,
    @output, @pass, @score, @metrics, @costUsd, @latencyMs, @error, @createdAt)`);
  const finish = db.prepare('UPDATE eval_runs SET status = ?, finished_at = ?, summary = ? WHERE id = ?');
  const results = db.prepare<[string], ResultRow>('SELECT * FROM eval_results WHERE run_id = ? ORDER BY seq');
  const removeRun = db.prepare('DELETE FROM eval_runs WHERE id = ?');

  const append = db.transaction((runId: string, rows: EvalResult[]) => {
    if (!runExists.get(runId)) throw new ConduitError('not_found', `Eval run ${runId} not found`);
    for (const row of rows) {
      insertResult.run({
        ...row,
        pass: row.pass === null ? null : row.pass ? 1 : 0,
        metrics: toJson(row.metrics, 'metrics'),
      });
    }
  });

  return {
    async createRun(input) {
      const config = toJson(input.config ?? null, 'config');
      try {
        insertRun.run(
          checkNonEmpty(input.id, 'id'),
          checkNonEmpty(input.suite, 'suite'),
          config,
          input.startedAt ?? now(),
        );
      } catch (error) {
        throw mapSqliteError(error, `Eval run ${input.id}`);
      }
      return runFromRow(runById.get(input.id) as RunRow);
    },
    async appendResults(runId, rows) {
      const at = now();
      append.immediate(
        runId,
        rows.map((row) => toEvalResult(runId, row, at)),
      );
    },
    async finishRun(runId, outcome) {
      const summary = toJson(outcome.summary ?? null, 'summary');
      const changed = finish.run(
        outcome.status ?? 'finished',
        outcome.finishedAt ?? now(),
        summary,
        runId,
      ).changes;
      if (changed === 0) throw new ConduitError('not_found', `Eval run ${runId} not found`);
      return runFromRow(runById.get(runId) as RunRow);
    },
    async getRun(id) {
      const row = runById.get(id);
      return row ? runFromRow(row) : undefined;
    },
    async listRuns(query = {}) {
      const limit = pageLimit(query.limit, 50, 1000);
      const rows = db
        .prepare<[string | null, string | null, number | null, number | null], RunRow>(
          `SELECT ${RUN_COLUMNS} FROM eval_runs r WHERE (? IS NULL OR r.suite = ?) AND (? IS NULL OR r.started_at < ?)
           ORDER BY r.started_at DESC, r.id LIMIT ${limit}`,
        )
        .all(query.suite ?? null, query.suite ?? null, query.before ?? null, query.before ?? null);
      return rows.map(runFromRow);
    },
    async getResults(runId) {
      return results.all(runId).map(resultFromRow);
    },
    async deleteRun(id) {
      return removeRun.run(id).changes > 0;
    },
  };
}
