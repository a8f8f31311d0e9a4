/**
 * `javascript`: an expression (or a function body with `return`) over `output`, `vars` and
 * `context`, run strict in a `node:vm` context on a worker thread (javascript-worker.ts) with a
 * timeout, so a runaway loop fails the assertion instead of hanging the run. node:vm is not a
 * security boundary: a suite is code you trust, like a test file.
 *
 * The result decides: a boolean is pass/fail; a number is a score (pass when ≥ `threshold`, or > 0
 * without one, as promptfoo does); an object `{ pass, score?, reason? }` says everything.
 *
 * @example
 * { type: 'javascript', value: 'output.length < 200 && output.includes(vars.city)' }
 */
import type { AssertionHandler, AssertionOutcome } from './assertion-types.js';
import { AssertionConfigError, stringValue, unitScore } from './assertion-values.js';
import { runJavascript } from './javascript-worker.js';

const DEFAULT_TIMEOUT_MS = 1000;

function interpret(result: unknown, threshold: number | undefined): AssertionOutcome {
  if (typeof result === 'boolean')
    return { pass: result, score: result ? 1 : 0, reason: `returned ${result}` };
  if (typeof result === 'number') {
    const pass = threshold === undefined ? result > 0 : result >= threshold;
    return { pass, score: unitScore(result), reason: `returned ${result}`, value: result };
  }
  if (
    result !== null &&
    typeof result === 'object' &&
    typeof (result as { pass?: unknown }).pass === 'boolean'
  ) {
    const r = result as { pass: boolean; score?: unknown; reason?: unknown };
    const score = typeof r.score === 'number' ? unitScore(r.score) : r.pass ? 1 : 0;
    return {
      pass: r.pass,
      score,
      reason: typeof r.reason === 'string' ? r.reason : `returned pass: ${r.pass}`,
    };
  }
  throw new AssertionConfigError(
    `javascript must return a boolean, a number or { pass, score, reason }; it returned ${typeof result}`,
  );
}

export const javascript: AssertionHandler = async (spec, input) => {
  const run = await runJavascript(
    stringValue(spec),
    {
      output: input.output,
      // Cloned on the way to the worker: the check cannot change what later assertions see.
      vars: input.vars,
      context: {
        latencyMs: input.latencyMs,
        costUsd: input.costUsd,
        promptId: input.promptId,
        targetId: input.targetId,
        question: input.question,
        contexts: input.contexts ?? [],
      },
    },
    spec.timeout_ms ?? DEFAULT_TIMEOUT_MS,
  );
  if (run.ok) return interpret(run.result, spec.threshold);
  if (run.kind === 'compile') throw new AssertionConfigError(`javascript does not compile: ${run.message}`);
  return {
    pass: false,
    score: 0,
    reason: `javascript ${run.kind === 'timeout' ? run.message : `threw: ${run.message}`}`,
  };
};
