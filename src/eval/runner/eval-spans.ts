/**
 * The spans of an eval run: `eval <suite>` for the run and `eval case <id>` for each case × prompt ×
 * target under it, whose context the target's model calls get as their parent. Names hold only ids
 * the suite's author chose (suite name, case id); outputs and variables never go on a span.
 */
import {
  type ActiveSpan,
  type SpanRecorder,
  startSpan,
  type TraceContext,
} from '../../core/trace-context.js';
import type { EvalCaseResult, EvalRunResult } from './eval-result.js';

/** Where a run records: under the caller's context, or as the root of a new trace in a recorder. */
export interface EvalTraceOptions {
  trace?: TraceContext;
  recorder?: SpanRecorder;
}

/** The run's span, or undefined when the run is not traced. */
export function startRunSpan(
  options: EvalTraceOptions,
  run: { suite: string; runId: string; tasks: number },
): ActiveSpan | undefined {
  const name = `eval ${run.suite}`;
  const spanOptions = {
    kind: 'internal' as const,
    attributes: {
      'conduit.eval.suite': run.suite,
      'conduit.eval.run_id': run.runId,
      'conduit.eval.tasks': run.tasks,
    },
  };
  if (options.trace) return startSpan(options.trace, name, spanOptions);
  return options.recorder?.startSpan(name, undefined, spanOptions);
}

/** The totals a reader of the trace wants without opening the run. */
export function runSpanAttributes(run: EvalRunResult) {
  const t = run.summary.totals;
  return {
    'conduit.eval.passed': t.passed,
    'conduit.eval.failed': t.failed,
    'conduit.eval.errors': t.errors,
    'conduit.eval.pass_rate': t.passRate,
    'conduit.eval.thresholds_passed': run.summary.thresholdsPassed,
  };
}

export function startCaseSpan(
  run: ActiveSpan | undefined,
  task: { caseId: string; promptId: string; targetId: string },
): ActiveSpan | undefined {
  if (!run) return undefined;
  return startSpan(run.context, `eval case ${task.caseId}`, {
    kind: 'internal',
    attributes: {
      'conduit.eval.case': task.caseId,
      'conduit.eval.prompt': task.promptId,
      'conduit.eval.target': task.targetId,
    },
  });
}

export function caseSpanAttributes(result: EvalCaseResult) {
  return {
    'conduit.eval.pass': result.pass,
    'conduit.eval.score': result.score,
    'conduit.eval.cached': result.cached,
  };
}
