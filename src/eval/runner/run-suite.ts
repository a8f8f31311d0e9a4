/**
 * Runs a suite: every prompt × target × case, each target within its own concurrency and rate
 * limits, the output checked by the case's assertions, results streamed into the EvalStore in
 * batches as they finish (so a crashed run keeps what it did), and a summary per cell at the end.
 * A failing target call does not stop the run: that result is recorded with its error.
 *
 * Traced (`trace` or `recorder`), the run is an `eval <suite>` span with one `eval case <id>` span per
 * case × prompt × target under it, and the target's model calls for that case under the case span.
 *
 * @example
 * const run = await runSuite({ suite, targets, store: storage.evals, judge: { model: judgeModel } });
 * run.summary.thresholdsPassed;   // the CI verdict
 */
import { randomBytes } from 'node:crypto';
import type { EmbeddingModel } from '../../core/language-model.js';
import type { ActiveSpan } from '../../core/trace-context.js';
import type { EvalResultInput, EvalStore } from '../../storage/ports/eval-store.js';
import { rendersValue } from '../assertions/assertion-registry.js';
import type { Judge } from '../assertions/assertion-types.js';
import { runAssertions } from '../assertions/run-assertions.js';
import { buildMessages, questionOf } from '../suite/build-messages.js';
import type { EvalCase, EvalPrompt, EvalSuite } from '../suite/eval-suite.js';
import { renderDeep } from '../suite/render-template.js';
import type { EvalCaseResult, EvalRunResult } from './eval-result.js';
import {
  caseSpanAttributes,
  type EvalTraceOptions,
  runSpanAttributes,
  startCaseSpan,
  startRunSpan,
} from './eval-spans.js';
import type { EvalTarget } from './eval-target.js';
import { createLimiter, type Limiter } from './limiter.js';
import { summarizeRun } from './summarize-run.js';

export interface RunProgress {
  done: number;
  total: number;
  passed: number;
  failed: number;
  errors: number;
  cached: number;
}

export interface RunSuiteOptions extends EvalTraceOptions {
  suite: EvalSuite;
  targets: readonly EvalTarget[];
  judge?: Judge;
  embedder?: EmbeddingModel;
  /** Results are stored here when given. */
  store?: EvalStore;
  runId?: string;
  /** Calls at once for targets that do not limit themselves (default: the suite's, else 4). */
  concurrency?: number;
  /** Stored with the run (what was asked for: file, flags). */
  config?: Record<string, unknown>;
  onProgress?: (progress: RunProgress) => void;
  signal?: AbortSignal;
}

/** `run-20250101-120000-ab12`: sortable, readable, unique enough for one machine. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `run-${stamp}-${randomBytes(2).toString('hex')}`;
}

interface Task {
  index: number;
  testCase: EvalCase;
  prompt: EvalPrompt;
  target: EvalTarget;
}

function tasksOf(suite: EvalSuite, targets: readonly EvalTarget[]): Task[] {
  const tasks: Task[] = [];
  const runs = (ids: readonly string[] | undefined, prompt: EvalPrompt) => !ids || ids.includes(prompt.id);
  for (const testCase of suite.cases)
    for (const prompt of suite.prompts) {
      if (!runs(testCase.prompts, prompt)) continue;
      for (const target of targets)
        if (runs(target.prompts, prompt)) tasks.push({ index: tasks.length, testCase, prompt, target });
    }
  return tasks;
}

async function runTask(
  task: Task,
  options: RunSuiteOptions,
  limit: Limiter,
  run: ActiveSpan | undefined,
): Promise<EvalCaseResult> {
  const span = startCaseSpan(run, {
    caseId: task.testCase.id,
    promptId: task.prompt.id,
    targetId: task.target.id,
  });
  try {
    const result = await runCase(task, options, limit, span);
    span?.setAttributes(caseSpanAttributes(result));
    return result;
  } finally {
    span?.end();
  }
}

async function runCase(
  task: Task,
  options: RunSuiteOptions,
  limit: Limiter,
  span: ActiveSpan | undefined,
): Promise<EvalCaseResult> {
  const { testCase, prompt, target } = task;
  const base = {
    index: task.index,
    caseId: testCase.id,
    ...(testCase.description ? { description: testCase.description } : {}),
    promptId: prompt.id,
    targetId: target.id,
    vars: testCase.vars,
  };
  let messages: ReturnType<typeof buildMessages>;
  let output: Awaited<ReturnType<EvalTarget['call']>>;
  let specs: EvalCase['assert'];
  try {
    // Rendering fails only for suites built in code; loadSuite checks every variable up front.
    messages = buildMessages(prompt, testCase.vars);
    specs = testCase.assert.map((spec) =>
      !rendersValue(spec.type) || spec.value === undefined
        ? spec
        : { ...spec, value: renderDeep(spec.value, testCase.vars) },
    );
    const call = () =>
      target.call({
        prompt,
        messages,
        vars: testCase.vars,
        caseId: testCase.id,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(span ? { trace: span.context } : {}),
      });
    output = await (target.limited ? call() : limit(call));
  } catch (error) {
    span?.recordError(error);
    const message = (error as Error).message ?? String(error);
    return {
      ...base,
      output: null,
      pass: false,
      score: 0,
      error: message,
      latencyMs: null,
      costUsd: null,
      cached: false,
      assertions: [],
    };
  }
  const verdict = await runAssertions(
    specs,
    {
      output: output.text,
      vars: testCase.vars,
      messages,
      question: questionOf(messages, testCase.vars),
      ...(output.contexts ? { contexts: output.contexts } : {}),
      latencyMs: output.latencyMs,
      costUsd: output.costUsd,
      promptId: prompt.id,
      targetId: target.id,
      ...(options.judge ? { judge: options.judge } : {}),
      ...(options.embedder ? { embedder: options.embedder } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    },
    testCase.threshold !== undefined ? { threshold: testCase.threshold } : {},
  );
  // An assertion that could not run (a judge that did not answer) makes the case an error too.
  if (verdict.error) span?.recordError(new Error(verdict.error));
  return {
    ...base,
    output: output.text,
    pass: verdict.pass,
    score: verdict.score,
    ...(verdict.error ? { error: verdict.error } : {}),
    latencyMs: output.latencyMs,
    costUsd: output.costUsd,
    cached: output.cached,
    ...(output.usage ? { usage: output.usage } : {}),
    ...(output.contexts ? { contexts: output.contexts } : {}),
    assertions: verdict.results,
  };
}

/** The row the EvalStore keeps; everything not in a column goes into `metrics`. */
export function toStoredResult(result: EvalCaseResult): EvalResultInput {
  return {
    caseId: result.caseId,
    promptId: result.promptId,
    targetId: result.targetId,
    output: result.output,
    pass: result.pass,
    score: result.score,
    costUsd: result.costUsd,
    latencyMs: result.latencyMs,
    error: result.error ?? null,
    metrics: {
      index: result.index,
      ...(result.description ? { description: result.description } : {}),
      vars: result.vars,
      cached: result.cached,
      ...(result.usage ? { usage: result.usage } : {}),
      ...(result.contexts ? { contexts: result.contexts } : {}),
      assertions: result.assertions,
    },
  };
}

export async function runSuite(options: RunSuiteOptions): Promise<EvalRunResult> {
  const runId = options.runId ?? newRunId();
  const tasks = tasksOf(options.suite, options.targets);
  const span = startRunSpan(options, { suite: options.suite.name, runId, tasks: tasks.length });
  try {
    const run = await executeRun(options, runId, tasks, span);
    span?.setAttributes(runSpanAttributes(run));
    return span ? { ...run, traceId: span.context.traceId } : run;
  } catch (error) {
    span?.recordError(error);
    throw error;
  } finally {
    span?.end();
  }
}

async function executeRun(
  options: RunSuiteOptions,
  runId: string,
  tasks: Task[],
  span: ActiveSpan | undefined,
): Promise<EvalRunResult> {
  const { suite, targets, store } = options;
  const startedAt = Date.now();
  const concurrency = options.concurrency ?? suite.concurrency ?? 4;
  const limiters = new Map(targets.map((t) => [t.id, createLimiter({ concurrency })]));
  await store?.createRun({
    id: runId,
    suite: suite.name,
    startedAt,
    config: {
      file: suite.file ?? null,
      prompts: suite.prompts.map((p) => p.id),
      targets: targets.map((t) => t.id),
      cases: suite.cases.length,
      thresholds: suite.thresholds,
      ...options.config,
    },
  });

  const progress: RunProgress = { done: 0, total: tasks.length, passed: 0, failed: 0, errors: 0, cached: 0 };
  options.onProgress?.({ ...progress });
  let pending: EvalCaseResult[] = [];
  let writes = Promise.resolve();
  // Appends are serialised and batched: one transaction per 50 results, not per result.
  const flush = () => {
    if (!store || pending.length === 0) return;
    const batch = pending.map(toStoredResult);
    pending = [];
    writes = writes.then(() => store.appendResults(runId, batch));
  };

  let results: EvalCaseResult[];
  try {
    results = await Promise.all(
      tasks.map(async (task) => {
        const result = await runTask(task, options, limiters.get(task.target.id)!, span);
        progress.done++;
        if (result.error !== undefined) progress.errors++;
        else if (result.pass) progress.passed++;
        else progress.failed++;
        if (result.cached) progress.cached++;
        options.onProgress?.({ ...progress });
        pending.push(result);
        if (pending.length >= 50) flush();
        return result;
      }),
    );
    flush();
    await writes;
  } catch (error) {
    await writes.catch(() => {});
    await store?.finishRun(runId, { status: 'failed', summary: { error: (error as Error).message } });
    throw error;
  }

  const summary = summarizeRun(
    results,
    suite.thresholds,
    Object.fromEntries(targets.map((t) => [t.id, t.thresholds])),
  );
  const finishedAt = Date.now();
  await store?.finishRun(runId, { status: 'finished', finishedAt, summary });
  return {
    runId,
    suite: suite.name,
    startedAt,
    finishedAt,
    durationMs: finishedAt - startedAt,
    results,
    summary,
  };
}
