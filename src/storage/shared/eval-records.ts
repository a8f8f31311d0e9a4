/** Validates and completes eval results before any adapter writes them. */
import type { EvalResult, EvalResultInput } from '../ports/eval-store.js';
import { badRequest, checkNonEmpty, checkOptionalNonNegative } from './checks.js';
import { jsonClone } from './json.js';

export function toEvalResult(runId: string, input: EvalResultInput, now: number): EvalResult {
  const score = input.score ?? null;
  // Scores may be negative (log-probabilities), but NaN would poison every average over the run.
  if (score !== null && (typeof score !== 'number' || !Number.isFinite(score))) {
    throw badRequest('score must be a finite number', 'score');
  }
  return {
    runId,
    caseId: checkNonEmpty(input.caseId, 'caseId'),
    promptId: input.promptId ?? null,
    targetId: input.targetId ?? null,
    output: input.output ?? null,
    pass: input.pass ?? null,
    score,
    metrics: jsonClone(input.metrics ?? {}, 'metrics'),
    costUsd: checkOptionalNonNegative(input.costUsd, 'costUsd'),
    latencyMs: checkOptionalNonNegative(input.latencyMs, 'latencyMs'),
    error: input.error ?? null,
    createdAt: now,
  };
}
