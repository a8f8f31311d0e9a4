/**
 * The example suite in examples/eval, end to end and offline: the local OpenAI-compatible test
 * server and the local engine's generated GGUF model as targets, every output format written, a
 * warm second run served from the cache, then `list` and `compare` on the stored runs.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { JSDOM } from 'jsdom';
import { type ExampleRun, runExample } from '../../examples/eval/run-example.js';

let example: ExampleRun;
const read = (name: string) => readFileSync(join(example.outDir, name), 'utf8');

before(async () => {
  example = await runExample(mkdtempSync(join(tmpdir(), 'conduit-eval-example-out-')));
});

describe('examples/eval', () => {
  test('the suite passes cold and warm; list and compare succeed', () => {
    assert.deepEqual(example.codes, [0, 0, 0, 0], example.stderr + example.stdout);
    assert.match(example.stdout, /extract +tiny-local +2\/2 +100\.0%/);
    assert.match(example.stdout, /14 results: 14 passed, 0 failed, 0 errors, 14 cached/);
    assert.match(example.stdout, /B wins 0, loses 0, ties 14/);
  });

  test('results.json has every prompt × target × case, the local model answering in JSON', () => {
    const results = JSON.parse(read('results.json'));
    assert.equal(results.version, 1);
    assert.equal(results.results.length, 14);
    assert.deepEqual(
      results.summary.cells.map((c: { promptId: string; targetId: string }) => `${c.promptId}×${c.targetId}`),
      ['answer×echo', 'answer×echo-url', 'extract×echo', 'extract×tiny-local'],
    );
    const local = results.results.filter((r: { targetId: string }) => r.targetId === 'tiny-local');
    for (const r of local)
      assert.ok(['Paris', 'Tokyo', 'Lima', 'Nairobi', 'Ottawa'].includes(JSON.parse(r.output).city));
    const france = results.results.find(
      (r: { caseId: string; targetId: string }) => r.caseId === 'france' && r.targetId === 'echo',
    );
    assert.deepEqual(france.assertions.map((a: { type: string }) => a.type).slice(0, 3), [
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
    assert.equal(xml.getElementsByTagName('failure').length, 0);
    const html = new JSDOM(read('report.html')).window.document;
    assert.equal(html.querySelectorAll('table.cases tbody tr').length, 7);
    assert.match(html.body.textContent!, /thresholds hold/);
  });
});
