/**
 * Port for evaluation runs and their per-case results, so runs can be compared over time, resumed
 * and shown in the console.
 */

export type EvalRunStatus = 'running' | 'finished' | 'failed';

export interface EvalRun {
  id: string;
  suite: string;
  /** JSON-serialisable; stored as given. */
  config: unknown;
  status: EvalRunStatus;
  startedAt: number;
  finishedAt: number | null;
  summary: unknown;
  resultCount: number;
}

export interface CreateEvalRunInput {
  id: string;
  suite: string;
  config?: unknown;
  startedAt?: number;
}

export interface EvalResultInput {
  caseId: string;
  promptId?: string | null;
  targetId?: string | null;
  output?: string | null;
  pass?: boolean | null;
  score?: number | null;
  metrics?: Record<string, unknown>;
  costUsd?: number | null;
  latencyMs?: number | null;
  error?: string | null;
}

export interface EvalResult {
  runId: string;
  caseId: string;
  promptId: string | null;
  targetId: string | null;
  output: string | null;
  pass: boolean | null;
  score: number | null;
  metrics: Record<string, unknown>;
  costUsd: number | null;
  latencyMs: number | null;
  error: string | null;
  createdAt: number;
}

export interface EvalStore {
  /** Throws `conflict` when the id exists. */
  createRun(input: CreateEvalRunInput): Promise<EvalRun>;
  /** Atomic per call. Throws `not_found` for an unknown run. */
  appendResults(runId: string, rows: EvalResultInput[]): Promise<void>;
  finishRun(
    runId: string,
    outcome: { summary?: unknown; status?: Exclude<EvalRunStatus, 'running'>; finishedAt?: number },
  ): Promise<EvalRun>;
  getRun(id: string): Promise<EvalRun | undefined>;
  /** Newest first; `before` pages by `startedAt`. */
  listRuns(query?: { suite?: string; limit?: number; before?: number }): Promise<EvalRun[]>;
  /** In the order they were appended. */
  getResults(runId: string): Promise<EvalResult[]>;
  deleteRun(id: string): Promise<boolean>;
}
