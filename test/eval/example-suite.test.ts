/**
 * The example suite in examples/eval, end to end and offline: the local OpenAI-compatible test
 * server and the local engine's generated GGUF model as targets, every output format written, a
 * warm second run served from the cache, then `list` and `compare` on the stored runs.
 *
 * Reliable on a loaded 2-core machine (issue 10, where "a `javascript` assertion and a threshold
 * flipped"). Two causes:
 * - The `javascript` check's timeout counted the worker thread's boot (over 1 s under load) as the
 *   check's run: fixed in src/eval/assertions/javascript-worker.ts, so every check here must pass.
 * - The suite's `latency` default (30 s) judges wall-clock time, and the local target's first call
 *   loads the model (node-llama-cpp checks its chat template: ~2 s of CPU idle, 26-33 s measured
 *   under load, for a ~20 ms answer). The verdict of a `latency` assertion is the machine's, so this
 *   test checks that verdict against the latency the run measured, and derives the exit codes,
 *   counts and reports from it, instead of assuming a fast machine.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { JSDOM } from 'jsdom';
import { type ExampleRun, runExample } from '../../examples/eval/run-example.js';

interface Assertion {
  type: string;
  pass: boolean;
  value?: number;
  reason: string;
}
interface Result {
  caseId: string;
  promptId: string;
  targetId: string;
  pass: boolean;
  latencyMs: number;
  costUsd: number;
  output: string;
  assertions: Assertion[];
}

/** The suite's `defaults.assert` latency threshold (examples/eval/suite.yaml). */
const LATENCY_LIMIT_MS = 30_000;

let example: ExampleRun;
let results: Result[];
/** Results that failed only because this machine was slower than the latency threshold. */
let slow: Result[];
const read = (name: string) => readFileSync(join(example.outDir, name), 'utf8');

before(async () => {
  example = await runExample(mkdtempSync(join(tmpdir(), 'conduit-eval-example-out-')));
  results = JSON.parse(read('results.json')).results;
  slow = results.filter((r) => r.assertions.some((a) => a.type === 'latency' && !a.pass));
  if (slow.length > 0) {
    const seen = slow.map((r) => `${r.caseId}×${r.targetId} ${Math.round(r.latencyMs)} ms`).join(', ');
    process.stdout.write(
      `# slower than the suite's ${LATENCY_LIMIT_MS} ms latency threshold here: ${seen}\n`,
    );
  }
});

describe('examples/eval', () => {
  test('every assertion but wall-clock latency passes; latency is judged from the measured time', () => {
    for (const r of results) {
      for (const a of r.assertions) {
        const where = `${r.caseId}×${r.targetId} ${a.type}: ${a.reason}`;
        if (a.type === 'latency') {
          assert.equal(a.value, r.latencyMs, where);
          assert.equal(a.pass, r.latencyMs <= LATENCY_LIMIT_MS, where);
        } else assert.equal(a.pass, true, where);
      }
      assert.equal(r.pass, !slow.includes(r), `${r.caseId}×${r.targetId}`);
    }
  });

  test('the suite passes cold and warm; list and compare succeed', () => {
    // A run whose thresholds fail exits 1; the warm run judges the cached (same) latencies.
    const failed = slow.length > 0 ? 1 : 0;
    assert.deepEqual(example.codes, [failed, failed, 0, 0], example.stderr + example.stdout);
    const localPassed = 2 - slow.filter((r) => r.targetId === 'tiny-local').length;
    assert.match(example.stdout, new RegExp(`extract +tiny-local +${localPassed}/2 +`));
    assert.match(
      example.stdout,
      new RegExp(`14 results: ${14 - slow.length} passed, ${slow.length} failed, 0 errors, 14 cached`),
    );
    assert.match(example.stdout, /B wins 0, loses 0, ties 14/);
  });

  test('results.json has every prompt × target × case, the local model answering in JSON', () => {
    const run = JSON.parse(read('results.json'));
    assert.equal(run.version, 1);
    assert.equal(results.length, 14);
    assert.deepEqual(
      run.summary.cells.map((c: { promptId: string; targetId: string }) => `${c.promptId}×${c.targetId}`),
      ['answer×echo', 'answer×echo-url', 'extract×echo', 'extract×tiny-local'],
    );
    const local = results.filter((r) => r.targetId === 'tiny-local');
    for (const r of local)
      assert.ok(['Paris', 'Tokyo', 'Lima', 'Nairobi', 'Ottawa'].includes(JSON.parse(r.output).city));
    const france = results.find((r) => r.caseId === 'france' && r.targetId === 'echo')!;
    assert.deepEqual(france.assertions.map((a) => a.type).slice(0, 3), [
      'latency',
      'starts-with',
      'icontains',
    ]);
    assert.ok(france.costUsd > 0, 'priced from conduit.yaml');
    assert.equal(JSON.parse(read('results-warm.json')).summary.totals.cached, 14);
  });

  test('junit.xml and report.html are well formed', () => {
    const { window } = new JSDOM('');
    const xml = new window.DOMParser().parseFromString(read('junit.xml'), 'application/xml');
    assert.equal(xml.getElementsByTagName('parsererror').length, 0);
    assert.equal(xml.getElementsByTagName('testsuite').length, 4);
    assert.equal(xml.getElementsByTagName('testcase').length, 14);
    assert.equal(xml.getElementsByTagName('failure').length, slow.length);
    const html = new JSDOM(read('report.html')).window.document;
    assert.equal(html.querySelectorAll('table.cases tbody tr').length, 7);
    assert.match(html.body.textContent!, slow.length > 0 ? /thresholds fail/ : /thresholds hold/);
  });
});
