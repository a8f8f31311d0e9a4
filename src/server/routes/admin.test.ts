// The read side of the admin API (usage and traces) in-process: a route context over memory
// storage, no server. Key CRUD is covered end to end in test/gateway.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConduitError } from '../../core/errors.js';
import { createMemoryStorage } from '../../storage/memory/memory-storage.js';
import type { Storage } from '../../storage/ports/storage.js';
import type { RouteContext } from '../route-context.js';
import { adminRoute } from './admin.js';

const NOW = Date.now();

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

async function seeded(): Promise<Storage> {
  const storage = createMemoryStorage();
  await storage.usage.appendBatch([
    { requestId: 'r1', alias: 'fast', status: 200, keyId: 'k1', createdAt: NOW - 3_600_000 },
    { requestId: 'r2', alias: 'smart', status: 429, keyId: 'k1', createdAt: NOW - 60_000 },
    { requestId: 'r3', alias: 'fast', status: 502, keyId: 'k2', createdAt: NOW - 30_000 },
  ]);
  await storage.traces.appendSpans([
    {
      traceId: 't1',
      spanId: 'root',
      name: 'POST /v1/chat/completions',
      kind: 'server',
      startTime: NOW - 30_000,
      endTime: NOW - 29_000,
      status: 'error',
      attributes: { 'conduit.model': 'fast', 'conduit.key_id': 'k2' },
    },
    {
      traceId: 't1',
      spanId: 'attempt',
      parentSpanId: 'root',
      name: 'chat gpt-4o-mini',
      kind: 'client',
      startTime: NOW - 29_900,
      endTime: NOW - 29_100,
      status: 'error',
    },
    {
      traceId: 't2',
      spanId: 'root',
      name: 'POST /v1/chat/completions',
      startTime: NOW - 10_000,
      endTime: NOW - 9_000,
      attributes: { 'conduit.model': 'smart', 'conduit.key_id': 'k1' },
    },
  ]);
  return storage;
}

/** Calls the route as create-server would for `GET <url>`; errors come back as their status. */
async function get(storage: Storage, url: string, principal = 'master'): Promise<Reply> {
  const [, resource, id, action] = /^\/admin\/(\w+)(?:\/([^/?]+))?(?:\/([^/?]+))?/.exec(url) ?? [];
  const reply: Reply = { status: 0, body: {} };
  const params: Record<string, string> = { resource: resource! };
  if (id) params.id = decodeURIComponent(id);
  if (action) params.action = action;
  const ctx = {
    req: { method: 'GET', url },
    res: {
      writeHead(status: number) {
        reply.status = status;
      },
      end(text: string) {
        reply.body = JSON.parse(text);
      },
    },
    conduit: { storage, devMode: false, keys: {} },
    params,
    principal: async () => ({ kind: principal }),
  } as unknown as RouteContext;
  try {
    await adminRoute(ctx);
  } catch (error) {
    if (!ConduitError.isInstance(error)) throw error;
    return { status: error.status, body: { code: error.code, param: error.param, message: error.message } };
  }
  return reply;
}

const ids = (reply: Reply, field: string, key: string) =>
  (reply.body[field] as Record<string, unknown>[]).map((row) => row[key]);

describe('GET /admin/usage', () => {
  test('filters by model, key, status class and a relative since, newest first', async () => {
    const storage = await seeded();
    assert.deepEqual(ids(await get(storage, '/admin/usage'), 'rows', 'requestId'), ['r3', 'r2', 'r1']);
    assert.deepEqual(ids(await get(storage, '/admin/usage?model=fast'), 'rows', 'requestId'), ['r3', 'r1']);
    assert.deepEqual(ids(await get(storage, '/admin/usage?key=k1&since=10m'), 'rows', 'requestId'), ['r2']);
    assert.deepEqual(ids(await get(storage, '/admin/usage?status=error'), 'rows', 'requestId'), ['r3', 'r2']);
    assert.deepEqual(ids(await get(storage, '/admin/usage?status=429'), 'rows', 'requestId'), ['r2']);
    const page = await get(storage, '/admin/usage?limit=1');
    assert.deepEqual(ids(page, 'rows', 'requestId'), ['r3']);
    const next = await get(storage, `/admin/usage?limit=1&cursor=${page.body.next_cursor}`);
    assert.deepEqual(ids(next, 'rows', 'requestId'), ['r2']);
    const summary = (await get(storage, '/admin/usage?model=fast')).body.summary as { group: string }[];
    assert.deepEqual(
      summary.map((s) => s.group),
      ['fast'],
    );
  });

  test('a bad parameter is a 400 that names it', async () => {
    const storage = await seeded();
    for (const [query, param] of [
      ['since=yesterday', 'since'],
      ['until=5', 'until'],
      ['status=3xx', 'status'],
      ['limit=0', 'limit'],
      ['limit=ten', 'limit'],
      ['cursor=garbage', 'cursor'],
    ]) {
      const reply = await get(storage, `/admin/usage?${query}`);
      assert.equal(reply.status, 400, query);
      assert.equal(reply.body.param, param, query);
    }
  });
});

describe('GET /admin/traces', () => {
  test('lists summaries with root attributes, filtered by model, key and status', async () => {
    const storage = await seeded();
    const all = await get(storage, '/admin/traces');
    assert.equal(all.status, 200);
    assert.deepEqual(ids(all, 'data', 'traceId'), ['t2', 't1']);
    const first = (all.body.data as { root: { attributes: unknown } }[])[0];
    assert.deepEqual(first?.root.attributes, { 'conduit.model': 'smart', 'conduit.key_id': 'k1' });
    assert.deepEqual(ids(await get(storage, '/admin/traces?model=fast'), 'data', 'traceId'), ['t1']);
    assert.deepEqual(ids(await get(storage, '/admin/traces?key=k1'), 'data', 'traceId'), ['t2']);
    assert.deepEqual(ids(await get(storage, '/admin/traces?status=error'), 'data', 'traceId'), ['t1']);
    assert.deepEqual(ids(await get(storage, '/admin/traces?since=20s'), 'data', 'traceId'), ['t2']);
    assert.deepEqual(ids(await get(storage, '/admin/traces?limit=5000'), 'data', 'traceId'), ['t2', 't1']);
    const bad = await get(storage, '/admin/traces?status=failed');
    assert.deepEqual([bad.status, bad.body.param], [400, 'status']);
  });

  test('one trace: its summary and its spans in tree order with depth and duration', async () => {
    const storage = await seeded();
    const reply = await get(storage, '/admin/traces/t1');
    assert.equal(reply.status, 200);
    assert.equal((reply.body.summary as { errorCount: number }).errorCount, 2);
    const spans = reply.body.spans as { spanId: string; depth: number; durationMs: number }[];
    assert.deepEqual(
      spans.map((s) => [s.spanId, s.depth, s.durationMs]),
      [
        ['root', 0, 1000],
        ['attempt', 1, 800],
      ],
    );
    const missing = await get(storage, '/admin/traces/nope');
    assert.deepEqual([missing.status, missing.body.code], [404, 'not_found']);
    const hostile = await get(storage, `/admin/traces/${'a'.repeat(3000)}`);
    assert.deepEqual([hostile.status, hostile.body.param], [400, 'id']);
    assert.ok(!String(hostile.body.message).includes('aaaa'), 'the id is not echoed back');
  });

  test('needs the master key', async () => {
    const storage = await seeded();
    const reply = await get(storage, '/admin/traces', 'anonymous');
    assert.deepEqual([reply.status, reply.body.param], [403, 'authorization']);
  });
});

describe('GET /admin/usage/dead-letters', () => {
  test('shows the rows the store refused, with its error; limit is checked', async () => {
    const storage = await seeded();
    await storage.usage.deadLetter(
      [{ requestId: 'bad-1', alias: 'fast', status: 200, createdAt: NOW }],
      'CHECK constraint failed',
    );
    const reply = await get(storage, '/admin/usage/dead-letters');
    assert.equal(reply.status, 200);
    const data = reply.body.data as { row: { requestId: string }; error: string }[];
    assert.equal(data.length, 1);
    assert.equal(data[0]!.row.requestId, 'bad-1');
    assert.match(data[0]!.error, /CHECK constraint/);
    const bad = await get(storage, '/admin/usage/dead-letters?limit=0');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.param, 'limit');
    assert.equal((await get(storage, '/admin/usage/dead-letters', 'anonymous')).status, 403);
  });
});
