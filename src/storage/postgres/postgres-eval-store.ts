/** PostgreSQL adapter of `EvalStore`. */
import { ConduitError } from '../../core/errors.js';
import type { EvalResult, EvalRun, EvalStore } from '../ports/eval-store.js';
import { checkNonEmpty, pageLimit } from '../shared/checks.js';
import { toEvalResult } from '../shared/eval-records.js';
import { toJson } from '../shared/json.js';
import { insertRows } from './insert-rows.js';
import type { PostgresContext } from './postgres-context.js';
import { mapPostgresError } from './postgres-errors.js';

interface RunRow {
  id: string;
  suite: string;
  config: unknown;
  status: EvalRun['status'];
  started_at: number;
  finished_at: number | null;
  summary: unknown;
  result_count: number;
}

interface ResultRow {
  run_id: string;
  case_id: string;
  prompt_id: string | null;
  target_id: string | null;
  output: string | null;
  pass: boolean | null;
  score: number | null;
  metrics: Record<string, unknown>;
  cost_usd: number | null;
  latency_ms: number | null;
  error: string | null;
  created_at: number;
}

const runFromRow = (row: RunRow): EvalRun => ({
  id: row.id,
  suite: row.suite,
  config: row.config,
  status: row.status,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  summary: row.summary,
  resultCount: Number(row.result_count),
});

const resultFromRow = (row: ResultRow): EvalResult => ({
  runId: row.run_id,
  caseId: row.case_id,
  promptId: row.prompt_id,
  targetId: row.target_id,
  output: row.output,
  pass: row.pass,
  score: row.score,
  metrics: row.metrics,
  costUsd: row.cost_usd,
  latencyMs: row.latency_ms,
  error: row.error,
  createdAt: row.created_at,
});

const RESULT_COLUMNS = [
  'run_id',
  'case_id',
  'prompt_id',
  'target_id',
  'output',
  'pass',
  'score',
  'metrics',
  'cost_usd',
  'latency_ms',
  'error',
  'created_at',
];

export function createPostgresEvalStore({ client, s, now }: PostgresContext): EvalStore {
  const runSelect = `SELECT r.*, (SELECT count(*) FROM ${s}.eval_results x WHERE x.run_id = r.id)::int AS result_count
    FROM ${s}.eval_runs r`;
  const getRun = async (id: string) => {
    const { rows } = await client.query<RunRow>(`${runSelect} WHERE r.id = $1`, [id]);
    return rows[0] ? runFromRow(rows[0]) : undefined;
  };

  return {
    async createRun(input) {
      const config = toJson(input.config ?? null, 'config');
      const id = checkNonEmpty(input.id, 'id');
      try {
        await client.query(
          `INSERT INTO ${s}.eval_runs (id, suite, config, status, started_at, finished_at, summary)
           VALUES ($1, $2, $3, 'running', $4, NULL, 'null')`,
          [id, checkNonEmpty(input.suite, 'suite'), config, input.startedAt ?? now()],
        );
      } catch (error) {
        throw mapPostgresError(error, `Eval run ${id}`);
      }
      return (await getRun(id)) as EvalRun;
    },
    async appendResults(runId, rows) {
      const at = now();
      const results = rows.map((row) => toEvalResult(runId, row, at));
      await client.transaction(async (tx) => {
        // FOR SHARE keeps the run from being deleted while its results are written.
        const found = await tx.query(`SELECT 1 FROM ${s}.eval_runs WHERE id = $1 FOR SHARE`, [runId]);
        if (found.rows.length === 0) throw new ConduitError('not_found', `Eval run ${runId} not found`);
        const cells = results.map((r) => [
          r.runId,
          r.caseId,
          r.promptId,
          r.targetId,
          r.output,
          r.pass,
          r.score,
          toJson(r.metrics, 'metrics'),
          r.costUsd,
          r.latencyMs,
          r.error,
          r.createdAt,
        ]);
        await insertRows(tx, `${s}.eval_results`, RESULT_COLUMNS, cells);
      });
    },
    async finishRun(runId, outcome) {
      const summary = toJson(outcome.summary ?? null, 'summary');
      const { rowCount } = await client.query(
        `UPDATE ${s}.eval_runs SET status = $1, finished_at = $2, summary = $3 WHERE id = $4`,
        [outcome.status ?? 'finished', outcome.finishedAt ?? now(), summary, runId],
      );
      if (rowCount === 0) throw new ConduitError('not_found', `Eval run ${runId} not found`);
      return (await getRun(runId)) as EvalRun;
    },
    getRun,
    async listRuns(query = {}) {
      const limit = pageLimit(query.limit, 50, 1000);
      const { rows } = await client.query<RunRow>(
        `${runSelect} WHERE ($1::text IS NULL OR r.suite = $1) AND ($2::float8 IS NULL OR r.started_at < $2)
         ORDER BY r.started_at DESC, r.id COLLATE "C" LIMIT ${limit}`,
        [query.suite ?? null, query.before ?? null],
      );
      return rows.map(runFromRow);
    },
    async getResults(runId) {
      const { rows } = await client.query<ResultRow>(
        `SELECT * FROM ${s}.eval_results WHERE run_id = $1 ORDER BY seq`,
        [runId],
      );
      return rows.map(resultFromRow);
    },
    async deleteRun(id) {
      return (await client.query(`DELETE FROM ${s}.eval_runs WHERE id = $1`, [id])).rowCount > 0;
    },
  };
}
