/**
 * Runs a case's assertions and folds them into the case verdict. `not-<type>` inverts pass and
 * turns the score into 1 − score. The case score is the weighted mean of the assertion scores; the
 * case passes when every assertion with weight > 0 passes — or, when the case sets a `threshold`,
 * when its score reaches it (promptfoo's rule). A check that cannot run (no judge verdict, a bad
 * regex) is recorded with `error`, and the case counts as an error rather than a failure.
 *
 * @example
 * const verdict = await runAssertions([{ type: 'contains', value: 'Paris' }], input);
 * verdict.pass; verdict.score; verdict.results[0].reason;
 */
import { toConduitError } from '../../core/errors.js';
import { ASSERTIONS, parseAssertionType } from './assertion-registry.js';
import type { AssertionInput, AssertionResult, AssertionSpec } from './assertion-types.js';
import { unitScore } from './assertion-values.js';

export interface CaseVerdict {
  pass: boolean;
  /** Weighted mean of the assertion scores, 0–1; 1 or 0 by pass when no assertion has weight. */
  score: number;
  results: AssertionResult[];
  /** The first assertion error, if any. */
  error?: string;
}

export async function runAssertion(spec: AssertionSpec, input: AssertionInput): Promise<AssertionResult> {
  const parsed = parseAssertionType(spec.type);
  const weight = spec.weight ?? 1;
  const metric = spec.metric ?? spec.type;
  if (!parsed) {
    const error = `unknown assertion type "${spec.type}"`;
    return { type: spec.type, metric, weight, pass: false, score: 0, reason: error, error };
  }
  try {
    const outcome = await ASSERTIONS[parsed.base].handler(spec, input);
    const score = unitScore(outcome.score);
    if (!parsed.negated) return { ...outcome, score, type: spec.type, metric, weight };
    return {
      ...outcome,
      type: spec.type,
      metric,
      weight,
      pass: !outcome.pass,
      score: 1 - score,
      reason: `not: ${outcome.reason}`,
    };
  } catch (error) {
    const message = toConduitError(error).message;
    return { type: spec.type, metric, weight, pass: false, score: 0, reason: message, error: message };
  }
}

export async function runAssertions(
  specs: readonly AssertionSpec[],
  input: AssertionInput,
  options: { threshold?: number } = {},
): Promise<CaseVerdict> {
  const results = await Promise.all(specs.map((spec) => runAssertion(spec, input)));
  const weighted = results.filter((r) => r.weight > 0);
  const totalWeight = weighted.reduce((sum, r) => sum + r.weight, 0);
  const allPass = weighted.every((r) => r.pass);
  const score =
    totalWeight > 0
      ? weighted.reduce((sum, r) => sum + r.score * r.weight, 0) / totalWeight
      : allPass
        ? 1
        : 0;
  const pass = options.threshold === undefined ? allPass : score >= options.threshold;
  const error = results.find((r) => r.error)?.error;
  return { pass: pass && error === undefined, score, results, ...(error ? { error } : {}) };
}
