// The JUnit file is checked as XML by a strict parser (jsdom's), then by its structure: what CI
// servers read is counts on <testsuites>/<testsuite> and <failure>/<error> inside <testcase>.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JSDOM } from 'jsdom';
import { junitReport } from './junit-report.js';
import { sampleRun } from './test-support/sample-run.js';

function parseXml(text: string): Document {
  const { window } = new JSDOM('');
  const doc = new window.DOMParser().parseFromString(text, 'application/xml');
  const error = doc.getElementsByTagName('parsererror')[0];
  assert.equal(error, undefined, `not well-formed XML: ${error?.textContent}`);
  return doc;
}

describe('junitReport', () => {
  test('is well-formed XML even with markup, control characters and lone surrogates in the output', () => {
    const xml = junitReport(sampleRun());
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites '));
    assert.doesNotMatch(xml, /[\u0001\u0008]/);
    parseXml(xml);
  });

  test('counts, names and verdicts in the shape CI servers read', () => {
    const doc = parseXml(junitReport(sampleRun()));
    const root = doc.documentElement;
    assert.equal(root.nodeName, 'testsuites');
    assert.deepEqual(
      ['name', 'tests', 'failures', 'errors', 'time'].map((a) => root.getAttribute(a)),
      ['hostile <suite>', '3', '1', '1', '1.500'],
    );
    const suites = root.getElementsByTagName('testsuite');
    assert.equal(suites.length, 1);
    assert.equal(suites[0]!.getAttribute('name'), 'hostile <suite>: p<1> × model "a"');
    const cases = [...root.getElementsByTagName('testcase')];
    assert.equal(cases.length, 3);
    assert.equal(cases[0]!.getAttribute('classname'), 'hostile <suite>.p<1>.model "a"');
    assert.equal(cases[0]!.getAttribute('time'), '0.150');
    assert.equal(cases[0]!.getElementsByTagName('failure').length, 0);
    const failure = cases[1]!.getElementsByTagName('failure')[0]!;
    assert.match(
      failure.getAttribute('message')!,
      /^contains: expected <script>alert\("x"\)<\/script> & 'quotes' \]\]>/,
    );
    assert.match(cases[1]!.getAttribute('name')!, /^x<y>&"z": <script>/);
    assert.match(cases[1]!.getElementsByTagName('system-out')[0]!.textContent!, /\uFFFD\uFFFD \uFFFD done$/);
    const error = cases[2]!.getElementsByTagName('error')[0]!;
    assert.match(error.getAttribute('message')!, /^upstream <script>/);
    assert.equal(cases[2]!.getElementsByTagName('system-out').length, 0);
  });
});
