/**
 * What operators rely on: the response cache, exactly one usage row per request, budgets that hold
 * under concurrency, graceful shutdown that drains streams, config reload without dropping requests.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { openStorage } from '../../src/storage/open-storage.js';
import type { UsageRecord } from '../../src/storage/ports/usage-log.js';
import { aliasYaml, startHarness } from '../support/gateway-harness.js';

const chat = (url: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'hello' }], ...body }),
  });

async function readSse(response: Response): Promise<string> {
  return await response.text();
}

describe('response cache', () => {
  test('miss then hit (JSON), streamed replay of a cached answer, bypass header', async () => {
    const h = await startHarness({
      config: ([a]) => ['cache: { enabled: true }', 'models:', aliasYaml('fast', [a!])].join('\n'),
    });
    try {
      const upstream = h.upstreams[0]!;
      const first = await chat(h.url, { messages: [{ role: 'user', content: 'cache me' }] });
      assert.equal(first.headers.get('x-conduit-cache'), 'miss');
      const second = await chat(h.url, {
        messages: [{ role: 'user', content: 'cache me' }],
        user: 'someone-else',
      });
      assert.equal(second.headers.get('x-conduit-cache'), 'hit');
      assert.equal(
        ((await second.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message
          .content,
        'Echo: cache me',
      );
      assert.equal(upstream.requests.length, 1, 'the hit did not reach the upstream');

      const streamed = await chat(h.url, { messages: [{ role: 'user', content: 'cache me' }], stream: true });
      assert.equal(streamed.headers.get('x-conduit-cache'), 'hit');
      const text = await readSse(streamed);
      assert.match(text, /"content":"Echo: cache me"/);
      assert.match(text, /data: \[DONE\]/);
      assert.equal(upstream.requests.length, 1);

      // A streamed miss is cached once complete, and then served to a JSON request.
      const live = await chat(h.url, { messages: [{ role: 'user', content: 'stream first' }], stream: true });
      assert.equal(live.headers.get('x-conduit-cache'), 'miss');
      await readSse(live);
      await new Promise((r) => setTimeout(r, 50));
      const replay = await chat(h.url, { messages: [{ role: 'user', content: 'stream first' }] });
      assert.equal(replay.headers.get('x-conduit-cache'), 'hit');

      const bypass = await chat(
        h.url,
        { messages: [{ role: 'user', content: 'cache me' }] },
        { 'x-conduit-cache': 'bypass' },
      );
      assert.equal(bypass.headers.get('x-conduit-cache'), null);
      assert.equal(upstream.requests.length, 3);
    } finally {
      await h.close();
    }
  });
});

describe('usage log', () => {
  test('exactly one row per request: success, stream, cache hit, upstream error, bad request, unknown model', async () => {
    const h = await startHarness({
      config: ([a]) => ['cache: { enabled: true }', 'models:', aliasYaml('fast', [a!])].join('\n'),
    });
    try {
      const ids: string[] = [];
      const send = async (body: Record<string, unknown>, stream = false) => {
        const id = `req-${ids.length}`;
        ids.push(id);
        const response = await chat(
          h.url,
          { ...body, ...(stream ? { stream: true } : {}) },
          { 'x-request-id': id },
        );
        await response.text();
        return response.status;
      };
      assert.equal(await send({ messages: [{ role: 'user', content: 'a' }] }), 200);
      assert.equal(await send({ messages: [{ role: 'user', content: 'b' }] }, true), 200);
      assert.equal(await send({ messages: [{ role: 'user', content: 'a' }] }), 200); // cache hit
      h.upstreams[0]!.enqueue({
        status: 400,
        body: { error: { message: 'nope', type: 'invalid_request_error' } },
      });
      assert.equal(await send({ messages: [{ role: 'user', content: 'c' }] }), 400);
      assert.equal(await send({ messages: [{ role: 'user', content: 'd' }], temperature: 9 }), 400);
      assert.equal(await send({ model: 'missing' }), 404);
      await h.running.conduit().usage.flush();
      const { rows } = await h.running.conduit().storage.usage.query({ limit: 100 });
      // Rows carry our own unique ids; the client's x-request-id is kept as clientRequestId.
      const byId = new Map(rows.map((r) => [r.clientRequestId, r]));
      assert.deepEqual([...byId.keys()].sort(), [...ids].sort(), 'one row for each request id');
      assert.equal(new Set(rows.map((r) => r.requestId)).size, rows.length, 'our ids are unique');
      assert.equal(rows.length, ids.length, 'no duplicates');
      const [ok, streamed, hit, upstream400, invalid, missing] = ids.map((id) => byId.get(id)!) as [
        UsageRecord,
        UsageRecord,
        UsageRecord,
        UsageRecord,
        UsageRecord,
        UsageRecord,
      ];
      assert.equal(ok.status, 200);
      assert.ok(ok.promptTokens > 0 && ok.costUsd > 0 && ok.deployment === 'fast/0');
      assert.ok(streamed.ttftMs !== null && streamed.completionTokens > 0);
      assert.equal(hit.cacheHit, true);
      assert.equal(hit.costUsd, 0);
      assert.equal(upstream400.status, 400);
      assert.equal(upstream400.errorCode, 'bad_request');
      assert.equal(invalid.status, 400);
      assert.equal(missing.status, 404);
      assert.equal(missing.errorCode, 'not_found');
    } finally {
      await h.close();
    }
  });
});

describe('budgets under concurrency', () => {
  test('50 concurrent requests against a small budget: spend stays within one request of it (max_tokens set)', async () => {
    const h = await startHarness({ config: ([a]) => ['models:', aliasYaml('fast', [a!])].join('\n') });
    try {
      // Each answer costs ≈ (prompt ≈ 9 + completion ≈ 5 tokens) at gpt-4o-mini prices ≈ $4.4e-6.
      const budget = 0.00002;
      const { secret, key } = await h.running
        .conduit()
        .keys.create({ name: 'budgeted', budgetUsd: budget, budgetPeriod: 'daily' });
      h.upstreams[0]!.enqueue(...Array.from({ length: 50 }, () => ({ delayMs: 50 })));
      const statuses = await Promise.all(
        Array.from({ length: 50 }, async () => {
          const r = await chat(h.url, { max_tokens: 16 }, { authorization: `Bearer ${secret}` });
          await r.text();
          return r.status;
        }),
      );
      const admitted = statuses.filter((s) => s === 200).length;
      assert.ok(admitted >= 1, 'some requests fit the budget');
      assert.ok(
        statuses.filter((s) => s === 429).length >= 35,
        `most were refused while in flight: ${statuses.join(',')}`,
      );
      // Reservations are released as answers finish, so what is left of the budget is used up next.
      let last = 200;
      let sequential = 0;
      while (last === 200 && sequential < 20) {
        const r = await chat(h.url, { max_tokens: 16 }, { authorization: `Bearer ${secret}` });
        last = r.status;
        if (last === 200) sequential++;
        else assert.equal(((await r.json()) as { error: { type: string } }).error.type, 'insufficient_quota');
      }
      assert.equal(last, 429, 'the budget ran out');
      await h.running.conduit().usage.flush();
      const spent = await h.running.conduit().storage.usage.spend({ keyId: key.id });
      const perRequest = spent / (admitted + sequential);
      assert.ok(
        spent <= budget + perRequest + 1e-12,
        `spent ${spent} exceeds budget ${budget} by more than one request (${perRequest})`,
      );
      assert.ok(spent >= budget - perRequest, `spent ${spent}: the budget was used, not refused early`);
    } finally {
      await h.close();
    }
  });
});

describe('lifecycle', () => {
  test('graceful shutdown drains an in-flight stream and flushes its usage row', async () => {
    const h = await startHarness({ config: ([a]) => ['models:', aliasYaml('fast', [a!])].join('\n') });
    h.upstreams[0]!.enqueue({ eventDelayMs: 60 });
    const response = await chat(
      h.url,
      { stream: true, messages: [{ role: 'user', content: 'one two three four five' }] },
      { 'x-request-id': 'draining' },
    );
    const bodyPromise = response.text();
    await new Promise((r) => setTimeout(r, 80));
    const closing = h.running.server.close(5_000);
    const body = await bodyPromise;
    await closing;
    assert.match(body, /data: \[DONE\]/, 'the stream finished');
    assert.match(body, /five/);
    // The server closed its runtime and storage; the row must be in the file.
    const reopened = await openStorage(h.running.conduit().storageUrl);
    const { rows } = await reopened.usage.query({});
    await reopened.close();
    assert.equal(rows.find((r) => r.clientRequestId === 'draining')?.status, 200);
    await h.close();
  });

  test('config reload: new aliases serve at once; an invalid file keeps the old config', async () => {
    const h = await startHarness({
      watch: true,
      config: ([a]) => ['models:', aliasYaml('fast', [a!])].join('\n'),
    });
    try {
      const base = h.upstreams[0]!.baseURL;
      writeFileSync(
        h.configPath,
        ['models:', aliasYaml('fast', [base]), aliasYaml('second', [base])].join('\n'),
      );
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 50));
        status = (await chat(h.url, { model: 'second' })).status;
      }
      assert.equal(status, 200, 'the new alias is served after the file changed');
      writeFileSync(h.configPath, 'models:\n  broken: {{{\n');
      assert.equal(await h.running.reload(), false);
      assert.equal((await chat(h.url, { model: 'second' })).status, 200, 'the old config still serves');
    } finally {
      await h.close();
    }
  });
});
