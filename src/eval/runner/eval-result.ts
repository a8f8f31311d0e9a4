/**
 * What a run produces: one result per prompt × target × case, and the summary per prompt × target
 * cell that the table, the reports and the exit code are made from.
 */
import type { Usage } from '../../core/chat-event.js';
import type { AssertionResult } from '../assertions/assertion-types.js';

export interface EvalCaseResult {
  /** Position in the run's task order (case, then prompt, then target). */
  index: number;
  caseId: string;
  description?: string;
  promptId: string;
  targetId: string;
  vars: Record<string, unknown>;
  /** Null when the target call failed. */
  output: string | null;
  pass: boolean;
  /** 0–1. */
  score: number;
  /** The target call or an assertion could not run. */
  error?: string;
  latencyMs: number | null;
  costUsd: number | null;
  cached: boolean;
  usage?: Usage;
  contexts?: string[];
  assertions: AssertionResult[];
}

export interface LatencySummary {
  mean: number;
  p50: number;
  p95: number;
}

export interface CellSummary {
  promptId: string;
  targetId: string;
  cases: number;
  passed: number;
  failed: number;
  errors: number;
  /** passed / cases; errors count as not passed. */
  passRate: number;
  meanScore: number;
  /** Mean score per metric name (an assertion's `metric`, or its type), 0–1. */
  metrics: Record<string, number>;
  /** Sum of the known costs, USD. */
  costUsd: number;
  /** Results whose cost is unknown. */
  costUnknown: number;
  latencyMs: LatencySummary | null;
  cached: number;
  /** Which of the cell's thresholds failed; empty when it holds. */
  thresholdFailures: string[];
}

export interface RunSummary {
  cells: CellSummary[];
  totals: {
    results: number;
    passed: number;
    failed: number;
    errors: number;
    passRate: number;
    costUsd: number;
    cached: number;
  };
  /** Every cell meets its thresholds. */
  thresholdsPassed: boolean;
  /** `prompt × target: reason` for each failing threshold. */
  thresholdFailures: string[];
}

export interface EvalRunResult {
  runId: string;
  /** The trace the run was recorded in, when it was traced. */
  traceId?: string;
  suite: string;
  /** Epoch ms. */
  startedAt: number;
  finishedAt: number;
  durationMs: number;
  results: EvalCaseResult[];
  summary: RunSummary;
}
