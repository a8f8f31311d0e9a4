// `conduit logs` and `conduit traces` over a seeded SQLite store in a temporary CONDUIT_HOME, with
// real option parsing, exit codes and output. They run in-process through runLogs/runTraces until
// main.ts registers the commands; then these become runCli calls.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runLogs } from '../../src/cli/commands/logs.js';
import { runTraces } from '../../src/cli/commands/traces.js';
import type { CommandIo } from '../../src/cli/commands/with-storage.js';
import { defaultStorageUrl } from '../../src/core/conduit-home.js';
import { openStorage } from '../../src/storage/open-storage.js';
import type { Storage } from '../../src/storage/ports/storage.js';

const NOW = Date.now();
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const home = mkdtempSync(join(tmpdir(), 'conduit-logs-'));
const cwd = process.cwd();

async function withStore<T>(fn: (storage: Storage) => Promise<T>): Promise<T> {
  const storage = await openStorage(defaultStorageUrl());
  try {
    return await fn(storage);
  } finally {
    await storage.close();
  }
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(signal?: AbortSignal) {
  const out = { stdout: '', stderr: '' };
  const io: CommandIo = {
    stdout: (text) => {
      out.stdout += text;
    },
    stderr: (text) => {
      out.stderr += text;
    },
    signal,
  };
  return { out, io };
}

async function logs(...args: string[]): Promise<Run> {
  const { out, io } = capture();
  return { code: await runLogs(args, io), ...out };
}

async function traces(...args: string[]): Promise<Run> {
  const { out, io } = capture();
  return { code: await runTraces(args, io), ...out };
}

/** Request ids in the order the table prints them. */
const requestIds = (stdout: string) => [...stdout.matchAll(/\breq-[\w-]+/g)].map((m) => m[0]);

before(async () => {
  // The commands find their storage as users' do: no conduit.yaml here, so $CONDUIT_HOME/conduit.db.
  process.env.CONDUIT_HOME = home;
  delete process.env.CONDUIT_CONFIG;
  process.chdir(home);
  await withStore(async (storage) => {
    await storage.usage.appendBatch([
      { requestId: 'req-old', alias: 'fast', status: 200, keyId: 'k1', createdAt: NOW - 2 * 3_600_000 },
      {
        requestId: 'req-ok',
        traceId: TRACE,
        alias: 'fast',
        deployment: 'openai/gpt-4o-mini',
        status: 200,
        keyId: 'k1',
        promptTokens: 12,
        completionTokens: 34,
        costUsd: 0.0012,
        latencyMs: 412,
        ttftMs: 120,
        createdAt: NOW - 30 * 60_000,
      },
      { requestId: 'req-limited', alias: 'smart', status: 429, keyId: 'k2', createdAt: NOW - 20 * 60_000 },
      {
        requestId: 'req-failed',
        alias: 'fast',
        status: 502,
        errorCode: 'upstream_error',
        keyId: 'k2',
        cacheHit: false,
        createdAt: NOW - 10 * 60_000,
      },
    ]);
    await storage.traces.appendSpans([
      {
        traceId: TRACE,
        spanId: 'root',
        name: 'POST /v1/chat/completions',
        kind: 'server',
        startTime: NOW - 30 * 60_000,
        endTime: NOW - 30 * 60_000 + 412,
        status: 'ok',
        attributes: {
          'conduit.model': 'fast',
          'conduit.key_id': 'k1',
          'conduit.cost_usd': 0.0012,
          'gen_ai.usage.input_tokens': 12,
          'gen_ai.usage.output_tokens': 34,
          'http.response.status_code': 200,
        },
      },
      {
        traceId: TRACE,
        spanId: 'attempt-1',
        parentSpanId: 'root',
        name: 'chat gpt-4o-mini',
        kind: 'client',
        startTime: NOW - 30 * 60_000 + 5,
        endTime: NOW - 30 * 60_000 + 105,
        status: 'error',
        statusMessage: 'upstream timed out',
      },
      {
        traceId: TRACE,
        spanId: 'attempt-2',
        parentSpanId: 'root',
        name: 'chat claude-haiku',
        kind: 'client',
        startTime: NOW - 30 * 60_000 + 110,
        endTime: NOW - 30 * 60_000 + 400,
        attributes: { 'gen_ai.usage.input_tokens': 12, 'gen_ai.usage.output_tokens': 34 },
      },
      {
        traceId: 'trace-failed',
        spanId: 'root',
        name: 'POST /v1/chat/completions',
        kind: 'server',
        startTime: NOW - 10 * 60_000,
        endTime: NOW - 10 * 60_000 + 50,
        status: 'error',
        attributes: { 'conduit.model': 'smart', 'conduit.key_id': 'k2' },
      },
    ]);
  });
});

after(() => process.chdir(cwd));

describe('conduit logs', () => {
  test('prints a table of requests, newest first', async () => {
    const run = await logs();
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(requestIds(run.stdout), ['req-failed', 'req-limited', 'req-ok', 'req-old']);
    const [header, , , ok] = run.stdout.split('\n');
    assert.match(header!, /^TIME\s+REQUEST ID\s+MODEL\s+DEPLOYMENT\s+STATUS\s+IN\s+OUT\s+COST\s+LATENCY MS/);
    assert.match(ok!, /req-ok\s+fast\s+openai\/gpt-4o-mini\s+200\s+12\s+34\s+\$0\.001200\s+412\s+120\s+-$/);
    assert.match(run.stdout, /502 upstream_error/);
  });

  test('filters by model, key, status and time', async () => {
    assert.deepEqual(requestIds((await logs('--model', 'fast')).stdout), ['req-failed', 'req-ok', 'req-old']);
    assert.deepEqual(requestIds((await logs('--key', 'k2')).stdout), ['req-failed', 'req-limited']);
    assert.deepEqual(requestIds((await logs('--status', '4xx')).stdout), ['req-limited']);
    assert.deepEqual(requestIds((await logs('--status', 'error')).stdout), ['req-failed', 'req-limited']);
    assert.deepEqual(requestIds((await logs('--status', '200', '--since', '1h')).stdout), ['req-ok']);
    assert.deepEqual(requestIds((await logs('--until', '15m', '--limit', '1')).stdout), ['req-limited']);
    assert.equal((await logs('--model', 'nobody')).stdout, 'No logged requests match.\n');
  });

  test('--json prints one row per line, trace id included', async () => {
    const run = await logs('--json', '--since', '45m', '--model', 'fast');
    const rows = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      rows.map((r) => [r.requestId, r.traceId]),
      [
        ['req-failed', null],
        ['req-ok', TRACE],
      ],
    );
  });

  test('bad flag values are usage errors (exit 2) that name the flag', async () => {
    for (const [flag, value] of [
      ['--status', '3xx'],
      ['--since', 'yesterday'],
      ['--limit', '0'],
    ]) {
      const run = await logs(flag!, value!);
      assert.equal(run.code, 2, `${flag} ${value}`);
      assert.match(run.stderr, new RegExp(`${flag}.*"${value}"`));
    }
  });

  test('--follow prints the last rows oldest first, then new rows as they are written, until stopped', async () => {
    const stop = new AbortController();
    const { out, io } = capture(stop.signal);
    const running = runLogs(['--follow', '--interval', '20', '--limit', '2'], io);
    const waitFor = async (text: string) => {
      for (let i = 0; i < 250 && !out.stdout.includes(text); i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(out.stdout.includes(text), `waiting for ${text}:\n${out.stdout}${out.stderr}`);
    };
    await waitFor('req-failed');
    await withStore((storage) =>
      storage.usage.appendBatch([
        { requestId: 'req-new-1', alias: 'fast', status: 200, createdAt: Date.now() - 1 },
        { requestId: 'req-new-2', alias: 'fast', status: 200 },
      ]),
    );
    await waitFor('req-new-2');
    stop.abort();
    assert.equal(await running, 0, out.stderr);
    assert.deepEqual(requestIds(out.stdout), ['req-limited', 'req-failed', 'req-new-1', 'req-new-2']);
    assert.equal(out.stdout.match(/REQUEST ID/g)?.length, 1);
  });

  test('--help shows examples', async () => {
    const run = await logs('--help');
    assert.equal(run.code, 0);
    assert.match(run.stdout, /--follow/);
    assert.match(run.stdout, /Examples:\n\s+\$ conduit logs/);
  });
});

describe('conduit traces', () => {
  test('list prints traces newest first with their root, model, key and cost', async () => {
    const run = await traces('list');
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trimEnd().split('\n');
    assert.match(
      lines[0]!,
      /^TIME\s+TRACE ID\s+ROOT\s+MODEL\s+KEY\s+STATUS\s+SPANS\s+ERRORS\s+DURATION MS\s+COST$/,
    );
    assert.match(
      lines[1]!,
      /trace-failed\s+POST \/v1\/chat\/completions\s+smart\s+k2\s+✗ error\s+1\s+1\s+50\.0\s+-$/,
    );
    assert.match(
      lines[2]!,
      new RegExp(`${TRACE}\\s+POST .*\\s+fast\\s+k1\\s+ok\\s+3\\s+1\\s+412\\.0\\s+\\$0\\.001200$`),
    );
  });

  test('list filters by model, key, status and time; --json gives one summary per line', async () => {
    const ids = async (...args: string[]) =>
      (await traces('list', '--json', ...args)).stdout
        .trimEnd()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line).traceId);
    assert.deepEqual(await ids(), ['trace-failed', TRACE]);
    assert.deepEqual(await ids('--model', 'fast'), [TRACE]);
    assert.deepEqual(await ids('--key', 'k2'), ['trace-failed']);
    assert.deepEqual(await ids('--status', 'error'), ['trace-failed']);
    assert.deepEqual(await ids('--status', 'ok', '--since', '1h'), [TRACE]);
    assert.deepEqual(await ids('--since', '15m'), ['trace-failed']);
    assert.equal((await traces('list', '--status', 'failed')).code, 2);
  });

  test('show prints the span tree with durations, tokens, cost and the failed span marked', async () => {
    const run = await traces('show', TRACE);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.match(lines[0]!, new RegExp(`^trace ${TRACE} · .* · 412\\.0 ms · 3 spans · ✗ 1 failed$`));
    assert.match(
      lines[3]!,
      /^POST \/v1\/chat\/completions\s+server\s+412\.0\s+12\s+34\s+\$0\.001200\s+ok 200$/,
    );
    assert.match(
      lines[4]!,
      /^├─ chat gpt-4o-mini\s+client\s+100\.0\s+-\s+-\s+-\s+✗ error: upstream timed out$/,
    );
    assert.match(lines[5]!, /^└─ chat claude-haiku\s+client\s+290\.0\s+12\s+34\s+-\s+-$/);
  });

  test('show --json gives the summary and the spans in tree order with depth', async () => {
    const run = await traces('show', TRACE, '--json');
    const body = JSON.parse(run.stdout);
    assert.equal(body.summary.spanCount, 3);
    assert.deepEqual(
      body.spans.map((s: { spanId: string; depth: number }) => [s.spanId, s.depth]),
      [
        ['root', 0],
        ['attempt-1', 1],
        ['attempt-2', 1],
      ],
    );
  });

  test('show of an unknown trace fails with exit 1 and says so', async () => {
    const run = await traces('show', 'no-such-trace');
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /No trace "no-such-trace"/);
  });

  test('--help of each subcommand shows examples', async () => {
    for (const args of [['--help'], ['list', '--help'], ['show', '--help']]) {
      const run = await traces(...args);
      assert.equal(run.code, 0);
      assert.match(run.stdout, /Examples:\n\s+\$ conduit traces/, args.join(' '));
    }
  });
});
