/**
 * Durability of the usage log with a real `conduit serve` process (issue 10), read back from its
 * SQLite file afterwards:
 *
 * - SIGTERM under load, with streams open that outlast `server.shutdown_grace_ms`: every request
 *   that got a response (a 200, a stream cut at the deadline, a 503 while draining) has exactly one
 *   row — 0 lost — and a stream cut at the deadline ends with an SSE error frame.
 * - `kill -9` under steady load: rows are written every `usage_log.flush_ms`, so only rows of the
 *   last window may be lost. The bound is derived from the configured window and the answers the
 *   client saw, not from absolute times, and the measured loss is printed (docs/gateway.md quotes it).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { type OpenAITestServer, startOpenAITestServer } from '../support/openai-test-server.js';
import { type ServeProcess, startServeProcess } from '../support/serve-process.js';

const MASTER = 'sk-master-durability-0123456789';
const GRACE_MS = 1_500;
const FLUSH_MS = 250;
/** Long streams: one word per SSE event, this far apart — several times the grace period. */
const LONG_WORDS = 40;
const LONG_EVENT_DELAY_MS = 150;
const HEADERS = { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' };

let upstream: OpenAITestServer;
let root: string;

before(async () => {
  upstream = await startOpenAITestServer({
    faultFor: (request) => {
      const messages = request.body.messages as { content?: unknown }[] | undefined;
      const text = String(messages?.at(-1)?.content ?? '');
      return text.startsWith('long ') ? { eventDelayMs: LONG_EVENT_DELAY_MS } : undefined;
    },
  });
  root = mkdtempSync(join(tmpdir(), 'conduit-durability-'));
});
after(async () => {
  await upstream?.close();
  rmSync(root, { recursive: true, force: true });
});

/** A gateway process with its own SQLite file. */
async function startGateway(name: string): Promise<{ gw: ServeProcess; db: string }> {
  const dir = join(root, name);
  mkdirSync(dir);
  const db = join(dir, 'conduit.db');
  const configPath = join(dir, 'conduit.yaml');
  writeFileSync(
    configPath,
    [
      `master_key: ${MASTER}`,
      `storage: sqlite:${db}`,
      'server:',
      `  shutdown_grace_ms: ${GRACE_MS}`,
      'usage_log:',
      `  flush_ms: ${FLUSH_MS}`,
      'models:',
      '  fast:',
      '    provider: openai-compatible',
      '    model: gpt-4o-mini',
      `    base_url: ${upstream.baseURL}`,
    ].join('\n'),
  );
  return { gw: await startServeProcess({ configPath, home: join(dir, 'home') }), db };
}

interface Outcome {
  id: string;
  /** The HTTP status, when the client got a response at all. */
  status?: number;
  /** performance.now() when the response's status arrived. */
  answeredAt?: number;
  error?: string;
}

async function shortRequest(url: string, id: string): Promise<Outcome> {
  try {
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...HEADERS, 'x-request-id': id },
      body: JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: `short ${id}` }] }),
    });
    const answeredAt = performance.now();
    await response.text().catch(() => undefined);
    return { id, status: response.status, answeredAt };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { id, error: cause?.code ?? (error as Error).message };
  }
}

/** Requests one after the other until `stop()`; every outcome goes to `out`. */
async function loadWorker(url: string, prefix: string, stop: () => boolean, out: Outcome[]) {
  for (let i = 0; !stop(); i++) {
    const outcome = await shortRequest(url, `${prefix}-${i}`);
    out.push(outcome);
    if (outcome.error) await new Promise((r) => setTimeout(r, 20)); // the server is gone: don't spin
  }
}

interface StreamOutcome extends Outcome {
  text: string;
  /** The connection ended before `data: [DONE]`. */
  cut: boolean;
}

/** A streamed chat whose upstream takes LONG_WORDS × LONG_EVENT_DELAY_MS; `opened` fires at its first bytes. */
async function longStream(url: string, id: string, opened: () => void): Promise<StreamOutcome> {
  const words = Array.from({ length: LONG_WORDS }, (_, i) => `w${i}`).join(' ');
  let text = '';
  try {
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...HEADERS, 'x-request-id': id },
      body: JSON.stringify({
        model: 'fast',
        stream: true,
        messages: [{ role: 'user', content: `long ${id} ${words}` }],
      }),
    });
    const answeredAt = performance.now();
    const decoder = new TextDecoder();
    const reader = response.body!.getReader();
    try {
      for (let step = await reader.read(); !step.done; step = await reader.read()) {
        text += decoder.decode(step.value, { stream: true });
        opened();
      }
    } catch {
      // Cut by the server: what arrived is judged below.
    }
    opened();
    return { id, status: response.status, answeredAt, text, cut: !text.includes('data: [DONE]') };
  } catch (error) {
    opened();
    return { id, error: (error as Error).message, text, cut: true };
  }
}

/** Usage rows by the client's request id. */
function rowsByClientId(path: string): Map<string, { status: number; code: string | null }[]> {
  // Not read-only: after a kill -9 the WAL must be recovered into the view, as a restart would.
  const db = new Database(path);
  try {
    const rows = db
      .prepare('SELECT client_request_id AS id, status, error_code AS code FROM usage_log')
      .all() as { id: string | null; status: number; code: string | null }[];
    const byId = new Map<string, { status: number; code: string | null }[]>();
    for (const row of rows) if (row.id) byId.set(row.id, [...(byId.get(row.id) ?? []), row]);
    return byId;
  } finally {
    db.close();
  }
}

/** Polls `ready` until it holds; fails after a minute (a broken gateway must not hang the suite). */
async function waitFor(ready: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!ready()) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const statusCounts = (outcomes: Outcome[]) => {
  const counts: Record<string, number> = {};
  for (const o of outcomes)
    counts[o.status ?? o.error ?? '?'] = (counts[o.status ?? o.error ?? '?'] ?? 0) + 1;
  return JSON.stringify(counts);
};

describe('usage-log durability of a conduit serve process', () => {
  test('SIGTERM under load with streams past the grace period: every answered request has exactly one row', async () => {
    const { gw, db } = await startGateway('sigterm');
    let exited = false;
    const exit = gw.exit.then((code) => {
      exited = true;
      return code;
    });

    // Streams that will still be running at the deadline, each open (first bytes in) before the signal.
    const STREAMS = 8;
    const opened: Promise<void>[] = [];
    const streams: Promise<StreamOutcome>[] = [];
    for (let i = 0; i < STREAMS; i++) {
      let signal!: () => void;
      opened.push(new Promise<void>((resolve) => (signal = resolve)));
      streams.push(longStream(gw.url, `sigterm-stream-${i}`, signal));
    }
    await Promise.all(opened);

    // Steady short requests before, during and after the drain.
    const outcomes: Outcome[] = [];
    const workers = Array.from({ length: 4 }, (_, w) =>
      loadWorker(gw.url, `sigterm-w${w}`, () => exited, outcomes),
    );
    await waitFor(() => outcomes.filter((o) => o.status === 200).length >= 20, 'answers before the signal');
    gw.child.kill('SIGTERM');
    const code = await exit;
    await Promise.all(workers);
    const streamed = await Promise.all(streams);
    assert.equal(code, 0, gw.output());

    const rows = rowsByClientId(db);
    const answered = [...outcomes, ...streamed].filter((o) => o.status !== undefined);
    const lost = answered.filter((o) => !rows.has(o.id)).map((o) => `${o.id} (${o.status})`);
    const doubled = answered.filter((o) => (rows.get(o.id)?.length ?? 0) > 1).map((o) => o.id);
    const cut = streamed.filter((s) => s.status === 200 && s.cut);
    process.stdout.write(
      `# SIGTERM: ${answered.length} answered — requests ${statusCounts(outcomes)}, streams ${STREAMS} ` +
        `(${cut.length} cut at the ${GRACE_MS} ms deadline); rows ${rows.size}; lost ${lost.length}\n`,
    );
    assert.ok(cut.length > 0, 'the streams outlast the grace period, so the deadline cuts them');
    assert.deepEqual(lost, [], 'answered requests without a usage row');
    assert.deepEqual(doubled, [], 'answered requests with more than one row');
    for (const stream of cut) {
      const frames = stream.text.split('\n\n').filter((f) => f.startsWith('data: '));
      assert.match(
        frames.at(-1) ?? '',
        /^data: \{"error":/,
        `${stream.id} was cut without a final SSE error frame: …${stream.text.slice(-200)}`,
      );
    }
  });

  test('kill -9 under steady load loses only rows of the last flush window', async () => {
    const { gw, db } = await startGateway('kill');
    let stop = false;
    const outcomes: Outcome[] = [];
    const startedAt = performance.now();
    const workers = Array.from({ length: 6 }, (_, w) =>
      loadWorker(gw.url, `kill-w${w}`, () => stop, outcomes),
    );
    // Enough answers over several flush windows that some rows are written and some are queued.
    await waitFor(
      () =>
        outcomes.filter((o) => o.status === 200).length >= 200 &&
        performance.now() - startedAt >= 6 * FLUSH_MS,
      'answers before the kill',
    );
    const killedAt = performance.now();
    gw.child.kill('SIGKILL');
    await gw.exit;
    stop = true;
    await Promise.all(workers);

    const rows = rowsByClientId(db);
    const answered = outcomes.filter((o) => o.status !== undefined);
    assert.ok(
      answered.every((o) => o.status === 200),
      `every answer before the kill is a 200: ${statusCounts(outcomes)}`,
    );
    const lost = answered.filter((o) => !rows.has(o.id));
    const beforeKill = answered.filter((o) => o.answeredAt! < killedAt);
    const ratePerSecond = beforeKill.length / ((killedAt - startedAt) / 1000);
    // A row is queued before its response is written, and the first row after a flush arms a
    // flush_ms timer: rows still queued at the kill belong to answers of the last flush_ms, plus the
    // timer's lateness on a busy machine — allowed one more window. Nothing older may be missing.
    const windowMs = 2 * FLUSH_MS;
    const inWindow = answered.filter((o) => o.answeredAt! >= killedAt - windowMs);
    const older = lost.filter((o) => o.answeredAt! < killedAt - windowMs);
    process.stdout.write(
      `# kill -9: ${answered.length} answered at ${ratePerSecond.toFixed(0)}/s, ${rows.size} rows written, ` +
        `${lost.length} lost (${((lost.length / ratePerSecond) * 1000).toFixed(0)} ms of traffic; ` +
        `flush_ms ${FLUSH_MS}, bound: the ${inWindow.length} answered in the last ${windowMs} ms)\n`,
    );
    assert.deepEqual(
      older.map((o) => `${o.id} answered ${(killedAt - o.answeredAt!).toFixed(0)} ms before the kill`),
      [],
      'rows older than the flush window were lost',
    );
    assert.ok(lost.length <= inWindow.length);
    assert.ok(rows.size > 0, 'rows of earlier windows were written before the kill');
  });
});
