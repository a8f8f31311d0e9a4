import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JSDOM } from 'jsdom';
import { htmlReport } from './html-report.js';
import { HOSTILE, sampleRun } from './test-support/sample-run.js';

describe('htmlReport', () => {
  const html = htmlReport(sampleRun());

  test('an injected <script> is shown as text, never as an element', () => {
    assert.doesNotMatch(html, /<script/i, 'no script element at all, not even ours');
    assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
    const { document } = new JSDOM(html).window;
    assert.equal(document.querySelectorAll('script').length, 0);
    assert.ok(document.body.textContent!.includes('<script>alert("x")</script>'));
  });

  test('self-contained: no external resource, a CSP that allows no script', () => {
    assert.doesNotMatch(html, /\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    assert.doesNotMatch(html, /<link\b/i);
    assert.match(
      html,
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">/,
    );
  });

  test('shows the summary and every case with its verdict and output', () => {
    const { document } = new JSDOM(html).window;
    assert.equal(document.title, 'hostile <suite> — conduit eval');
    const summaryRow = document.querySelector('tbody tr')!;
    assert.match(summaryRow.textContent!, /p<1>model "a"1\/3 \(1 errors\)33\.3%/);
    const caseRows = document.querySelectorAll('table.cases tbody tr');
    assert.equal(caseRows.length, 3);
    assert.deepEqual(
      [...caseRows].map((r) => r.className),
      ['pass', 'fail', 'fail'],
    );
    assert.ok(caseRows[1]!.textContent!.includes(HOSTILE.replace(/[\u0001\u0008\uD800]/g, '\uFFFD')));
    assert.match(caseRows[2]!.textContent!, /error/);
  });
});
