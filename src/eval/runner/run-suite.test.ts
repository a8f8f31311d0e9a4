import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConduitError } from '../../core/errors.js';
import { createScriptedModel } from '../../core/generate/test-support/scripted-model.js';
import { contentText } from '../../core/messages.js';
import { createMemoryStorage } from '../../storage/memory/memory-storage.js';
import type { EvalSuite } from '../suite/eval-suite.js';
import { withEvalCache } from './cached-models.js';
import { createMemoryResponseCache } from './disk-cache.js';
import { createModelTarget, type EvalTarget } from './eval-target.js';
import { createLimiter } from './limiter.js';
import { type RunProgress, runSuite } from './run-suite.js';

function suiteOf(count: number, extra: Partial<EvalSuite> = {}): EvalSuite {
  return {
    name: 'unit',
    prompts: [
      { id: 'short', messages: [{ role: 'user', content: 'Say {{word}}' }], examples: [] },
      { id: 'long', messages: [{ role: 'user', content: 'Please say {{word}}' }], examples: [] },
    ],
    targets: [],
    cases: Array.from({ length: count }, (_, i) => ({
      id: `c${i}`,
      vars: { word: `w${i}` },
      assert: [{ type: 'icontains', value: '{{word}}' }],
      source: `inline:${i}`,
    })),
    thresholds: {},
    ...extra,
  };
}

/** Echoes the last message after a short wait; counts how many calls overlap. */
function echoTarget(id: string, options: { fail?: (text: string) => boolean } = {}) {
  const state = { active: 0, peak: 0, calls: 0 };
  const target: EvalTarget = {
    id,
    async call({ messages }) {
      state.calls++;
      state.active++;
      state.peak = Math.max(state.peak, state.active);
      await new Promise((r) => setTimeout(r, 2));
      state.active--;
      const text = contentText(messages.at(-1)!.content);
      if (options.fail?.(text)) throw new ConduitError('timeout', 'upstream timed out');
      return { text: `echo ${text}`, latencyMs: 2, costUsd: 0.001, cached: false };
    },
  };
  return { target, state };
}

describe('runSuite', () => {
  test('runs every prompt × target × case, within each target’s concurrency', async () => {
    const a = echoTarget('a');
    const b = echoTarget('b');
    const run = await runSuite({ suite: suiteOf(10), targets: [a.target, b.target], concurrency: 3 });
    assert.equal(run.results.length, 40);
    assert.deepEqual([a.state.calls, b.state.calls], [20, 20]);
    assert.equal(a.state.peak, 3);
    assert.equal(b.state.peak, 3);
    assert.equal(run.summary.cells.length, 4);
    assert.ok(run.summary.thresholdsPassed);
    assert.equal(run.summary.totals.costUsd.toFixed(3), '0.040');
  });

  test('a target restricted to some prompts runs only those', async () => {
    const a = echoTarget('a');
    const run = await runSuite({ suite: suiteOf(3), targets: [{ ...a.target, prompts: ['long'] }] });
    assert.deepEqual(new Set(run.results.map((r) => r.promptId)), new Set(['long']));
  });

  test('a failing call is recorded as an error and the run goes on', async () => {
    const a = echoTarget('a', { fail: (text) => text.endsWith('w1') });
    const run = await runSuite({ suite: suiteOf(3), targets: [a.target] });
    const failed = run.results.filter((r) => r.error);
    assert.equal(failed.length, 2);
    assert.match(failed[0]!.error!, /timed out/);
    assert.equal(failed[0]!.output, null);
    assert.equal(run.summary.totals.errors, 2);
    assert.equal(run.summary.thresholdsPassed, false);
  });

  test('results stream into the EvalStore; the run is finished with its summary', async () => {
    const storage = createMemoryStorage();
    const progress: RunProgress[] = [];
    const a = echoTarget('a', { fail: (text) => text.endsWith('w2') });
    const run = await runSuite({
      suite: suiteOf(60),
      targets: [a.target],
      store: storage.evals,
      runId: 'run-test',
      config: { cache: false },
      onProgress: (p) => progress.push(p),
    });
    const stored = (await storage.evals.getRun('run-test'))!;
    assert.equal(stored.status, 'finished');
    assert.equal(stored.resultCount, 120);
    assert.deepEqual((stored.summary as typeof run.summary).totals, run.summary.totals);
    assert.deepEqual((stored.config as { cache: boolean }).cache, false);
    const rows = await storage.evals.getResults('run-test');
    const first = rows.find((r) => r.caseId === 'c0' && r.promptId === 'short')!;
    assert.deepEqual([first.targetId, first.output, first.pass, first.score], ['a', 'echo Say w0', true, 1]);
    assert.equal((first.metrics.assertions as { type: string }[])[0]!.type, 'icontains');
    assert.equal(rows.filter((r) => r.error).length, 2);
    assert.equal(progress.at(-1)!.done, 120);
    assert.equal(progress.at(-1)!.errors, 2);
  });

  test('a second run of a model target is served from the response cache', async () => {
    const inner = createScriptedModel({
      steps: Array.from({ length: 6 }, (_, i) => ({ text: `answer ${i}` })),
    });
    const cache = createMemoryResponseCache();
    const makeTarget = () =>
      createModelTarget({
        id: 'm',
        model: withEvalCache(inner, { cache, limit: createLimiter({ concurrency: 2 }) }),
        sampling: { temperature: 0 },
      });
    const suite = suiteOf(3, { cases: suiteOf(3).cases.map((c) => ({ ...c, assert: [] })) });
    const cold = await runSuite({ suite, targets: [makeTarget()] });
    const warm = await runSuite({ suite, targets: [makeTarget()] });
    assert.equal(inner.requests.length, 6);
    assert.equal(cold.summary.totals.cached, 0);
    assert.equal(warm.summary.totals.cached, 6);
    assert.deepEqual(
      warm.results.map((r) => r.output),
      cold.results.map((r) => r.output),
    );
    assert.equal(inner.requests[0]!.temperature, 0);
  });
});
