/**
 * Issue 10, defect 1: one bad usage row must never stop the usage log. A body that is not JSON (no
 * model) and two requests that reuse one client `x-request-id` used to produce rows the store refused,
 * and the refused batch blocked every later row.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { aliasYaml, startHarness } from '../support/gateway-harness.js';

describe('usage log resilience', () => {
  test('a body without a model and a reused x-request-id still get their rows, and later rows flow', async () => {
    const h = await startHarness({ config: ([a]) => ['models:', aliasYaml('fast', [a!])].join('\n') });
    try {
      const post = (body: string, headers: Record<string, string> = {}) =>
        fetch(`${h.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
        });
      const good = JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] });

      const oops = await post('oops');
      assert.equal(oops.status, 400);
      await oops.text();
      const firstDup = await post(good, { 'x-request-id': 'dup' });
      assert.equal(firstDup.status, 200);
      assert.equal(firstDup.headers.get('x-request-id'), 'dup', 'the client id is echoed');
      await firstDup.text();
      const secondDup = await post(good, { 'x-request-id': 'dup' });
      assert.equal(secondDup.status, 200);
      await secondDup.text();
      const normal = await post(good);
      assert.equal(normal.status, 200);
      const ours = normal.headers.get('x-request-id');
      assert.ok(ours, 'a request without an id gets ours');
      await normal.text();

      const conduit = h.running.conduit();
      await conduit.usage.flush();
      const { rows } = await conduit.storage.usage.query({ limit: 100 });
      assert.equal(rows.length, 4, JSON.stringify(rows.map((r) => [r.alias, r.status])));
      assert.equal(new Set(rows.map((r) => r.requestId)).size, 4, 'request ids are unique');
      const byClient = rows.filter((r) => r.clientRequestId === 'dup');
      assert.equal(byClient.length, 2);
      assert.ok(byClient.every((r) => r.status === 200 && r.requestId !== 'dup'));
      const rejected = rows.find((r) => r.status === 400);
      assert.ok(rejected, 'the body that is not JSON has its row');
      assert.equal(rejected.alias, '(none)');
      assert.equal(rejected.clientRequestId, null);
      assert.ok(rows.some((r) => r.requestId === ours && r.clientRequestId === null));
      assert.deepEqual(await conduit.storage.usage.deadLetters(), []);
      assert.equal(conduit.usage.pending, 0);
    } finally {
      await h.close();
    }
  });

  test('an x-request-id that is too long or not printable ASCII is not kept', async () => {
    const h = await startHarness({ config: ([a]) => ['models:', aliasYaml('fast', [a!])].join('\n') });
    try {
      const response = await fetch(`${h.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'x'.repeat(500) },
        body: JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] }),
      });
      assert.equal(response.status, 200);
      assert.notEqual(response.headers.get('x-request-id'), 'x'.repeat(500));
      await response.text();
      await h.running.conduit().usage.flush();
      const { rows } = await h.running.conduit().storage.usage.query({});
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.clientRequestId, null);
    } finally {
      await h.close();
    }
  });
});
