/**
 * Issue 10, defects 3 and 4: budgets and tpm under concurrency, end to end, on every backend —
 * SQLite, PostgreSQL, and two gateway processes sharing PostgreSQL + Redis. A brand-new key fires
 * 100 concurrent requests (50 for tpm) at gateways in front of an upstream that holds every answer
 * until each request has either reached it or been refused: every admission is decided while all
 * admitted requests are in flight, the worst case for a reservation scheme, without any sleep.
 * Then the gateways restart and the spend must still be there.
 *
 * Every assert.ok carries a message: without one, Node re-reads this file to quote the failed
 * expression, which under tsx took minutes.
 *
 * Bounds asserted (docs/gateway.md, "Budgets under concurrency" and "Token limits"):
 * - spend ≤ budget + the cost of one request, when reservations cover the actual cost;
 * - tokens admitted in a window ≤ tpm (+ the window's decay over the seconds the test took).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startGateway } from '../../src/server/start-gateway.js';
import { openStorage } from '../../src/storage/open-storage.js';

const BIN = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const POSTGRES = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const MASTER = 'sk-master-budget-concurrency';

// USD per 1M tokens: $0.0001 a prompt token, $0.0002 an output token.
const PRICE = { input: 100, output: 200 };
const BUDGET = 0.05;
const MAX_TOKENS = 15;
/** Output tokens the upstream reports for a request without max_tokens. */
const FREE_OUTPUT = 20;
const TPM = 1000;

/** A user message whose JSON is exactly `4 * tokens` characters, so the gateway's estimate is exact. */
function message(tag: string, tokens: number) {
  const bare = JSON.stringify([{ role: 'user', content: tag }]).length;
  return [{ role: 'user', content: tag + 'x'.repeat(4 * tokens - bare) }];
}
const PROMPT_TOKENS = 15;
/** What one budget request with max_tokens reserves and costs: prompt plus max_tokens of output. */
const REQUEST_USD = (PROMPT_TOKENS * PRICE.input + MAX_TOKENS * PRICE.output) / 1e6;
/** What a request without max_tokens costs (the upstream answers with FREE_OUTPUT tokens). */
const FREE_REQUEST_USD = (PROMPT_TOKENS * PRICE.input + FREE_OUTPUT * PRICE.output) / 1e6;

/**
 * Counts arrivals and holds every answer until `release`; answers with usage computed from the
 * request: prompt = JSON length / 4 (the gateway's estimate), output = max_tokens or FREE_OUTPUT.
 */
function startUpstream() {
  let held: (() => void)[] = [];
  let holding = false;
  let onArrival: () => void = () => undefined;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as {
        messages?: unknown;
        max_tokens?: number;
        max_completion_tokens?: number;
        model?: string;
      };
      const prompt = Math.floor(JSON.stringify(body.messages ?? []).length / 4);
      const completion = body.max_completion_tokens ?? body.max_tokens ?? FREE_OUTPUT;
      const answer = () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'chatcmpl-held',
            object: 'chat.completion',
            created: 1_700_000_000,
            model: body.model,
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: 'ok' },
                finish_reason: 'stop',
                logprobs: null,
              },
            ],
            usage: {
              prompt_tokens: prompt,
              completion_tokens: completion,
              total_tokens: prompt + completion,
            },
          }),
        );
      };
      if (holding) held.push(answer);
      else answer();
      onArrival();
    });
  });
  server.listen(0, '127.0.0.1');
  return {
    ready: new Promise<void>((r) => server.once('listening', () => r())),
    get baseURL() {
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    },
    hold(arrival: () => void) {
      holding = true;
      onArrival = arrival;
    },
    release() {
      holding = false;
      onArrival = () => undefined;
      const answers = held;
      held = [];
      for (const answer of answers) answer();
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const upstream = startUpstream();

interface Gateway {
  url: string;
  close(): Promise<void>;
}

async function inProcessGateway(configPath: string, home: string): Promise<Gateway> {
  const running = await startGateway({
    configPath,
    port: 0,
    host: '127.0.0.1',
    watch: false,
    env: { CONDUIT_HOME: home, PATH: process.env.PATH },
    log: () => undefined,
  });
  return { url: running.url, close: () => running.close() };
}

function childGateway(configPath: string, home: string): Promise<Gateway> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', TSX, BIN, '--config', configPath, 'serve', '--port', '0', '--no-watch'],
      { env: { PATH: process.env.PATH, HOME: home, CONDUIT_HOME: home } },
    );
    let out = '';
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const onData = (c: Buffer) => {
      out += c;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match)
        resolve({
          url: match[1]!,
          async close() {
            child.kill('SIGTERM');
            assert.equal(await exit, 0, out);
          },
        });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`gateway exited (${code}) before listening: ${out}`)));
  });
}

interface Backend {
  name: string;
  storage: string;
  redis?: string;
  /** Gateway processes serving the waves; restarts open one more. */
  processes: number;
  start(configPath: string, home: string): Promise<Gateway>;
  cleanUp(): Promise<void>;
}

const dir = mkdtempSync(join(tmpdir(), 'conduit-budget-'));
const schema = `conduit_budget_${process.pid}_${randomBytes(4).toString('hex')}`;
const schemaRedis = `${schema}_r`;

async function dropSchemas() {
  const client = new pg.Client({ connectionString: POSTGRES });
  await client.connect();
  for (const s of [schema, schemaRedis]) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await client.end();
}

const BACKENDS: Backend[] = [
  {
    name: 'SQLite, one process',
    storage: `sqlite:${join(dir, 'conduit.db')}`,
    processes: 1,
    start: inProcessGateway,
    cleanUp: async () => undefined,
  },
  {
    name: 'PostgreSQL, one process',
    storage: `${POSTGRES}?schema=${schema}`,
    processes: 1,
    start: inProcessGateway,
    cleanUp: dropSchemas,
  },
  {
    name: 'PostgreSQL + Redis, two processes',
    storage: `${POSTGRES}?schema=${schemaRedis}`,
    redis: REDIS,
    processes: 2,
    start: childGateway,
    cleanUp: dropSchemas,
  },
];

before(() => upstream.ready);
after(async () => {
  await upstream.close();
  await dropSchemas().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

async function createKey(gateway: Gateway, settings: Record<string, unknown>) {
  const response = await fetch(`${gateway.url}/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'concurrency', ...settings }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()) as { key: string; id: string };
}

interface Outcome {
  status: number;
  /** The OpenAI error type: `insufficient_quota` for a used-up budget. */
  type?: string;
  totalTokens?: number;
}

function chat(gateway: Gateway, key: string, body: Record<string, unknown>): Promise<Outcome> {
  return fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'fast', ...body }),
  }).then(async (response) => {
    const json = (await response.json()) as {
      error?: { type?: string };
      usage?: { total_tokens: number };
    };
    return {
      status: response.status,
      type: json.error?.type,
      totalTokens: json.usage?.total_tokens,
    };
  });
}

/**
 * Fires `n` requests at once, spread over `gateways`; the upstream answers none of them until every
 * one has reached it or been refused. Returns the outcomes and how long the admissions took.
 */
async function wave(
  gateways: Gateway[],
  key: string,
  n: number,
  body: (i: number) => Record<string, unknown>,
): Promise<{ outcomes: Outcome[]; elapsedMs: number }> {
  let decided = 0;
  let release!: () => void;
  const allDecided = new Promise<void>((r) => {
    release = r;
  });
  const decide = () => {
    if (++decided === n) release();
  };
  upstream.hold(decide);
  const started = Date.now();
  const calls = Array.from({ length: n }, (_, i) =>
    chat(gateways[i % gateways.length]!, key, body(i)).then(
      (outcome) => {
        if (outcome.status !== 200) decide();
        return outcome;
      },
      // A request that never got an answer (its socket closed) is decided too, and fails the test.
      (error: unknown): Outcome => {
        decide();
        return { status: 0, type: String(error) };
      },
    ),
  );
  await allDecided;
  const elapsedMs = Date.now() - started;
  upstream.release();
  return { outcomes: await Promise.all(calls), elapsedMs };
}

const slug = (name: string) => name.replace(/\W+/g, '-');

function configFor(backend: Backend): string {
  const path = join(dir, `${slug(backend.name)}.yaml`);
  writeFileSync(
    path,
    [
      `master_key: ${MASTER}`,
      `storage: ${backend.storage}`,
      // 100 connections open at once from this one address, before any has authenticated.
      'server:',
      '  max_unauthenticated_connections_per_ip: 1000',
      ...(backend.redis ? [`redis: ${backend.redis}`] : []),
      'pricing:',
      `  budget-model: { input: ${PRICE.input}, output: ${PRICE.output} }`,
      'models:',
      '  fast:',
      '    provider: openai-compatible',
      '    model: budget-model',
      `    base_url: ${upstream.baseURL}`,
      // Priced only at the deployment: the configuration of the issue, which reserved nothing.
      '  deployment-priced:',
      '    provider: openai-compatible',
      '    model: deployment-priced-model',
      `    base_url: ${upstream.baseURL}`,
      `    pricing: { input: ${PRICE.input}, output: ${PRICE.output} }`,
    ].join('\n'),
  );
  return path;
}

/** The key's spend in the usage log (the independent record) and in the budget ledger. */
async function spendOf(backend: Backend, keyId: string) {
  const storage = await openStorage(backend.storage);
  try {
    const { rows } = await storage.usage.query({ keyId, limit: 1000 });
    return {
      logged: await storage.usage.spend({ keyId }),
      rows: rows.length,
      ledger: await storage.budgets.spent(keyId, 0),
    };
  } finally {
    await storage.close();
  }
}

const count = (outcomes: Outcome[], status: number) => outcomes.filter((o) => o.status === status).length;

for (const backend of BACKENDS) {
  describe(`budgets and tpm under concurrency: ${backend.name}`, () => {
    let configPath: string;
    let gateways: Gateway[] = [];
    let started = 0;
    const startAll = async () => {
      // One after the other: the first migrates the schema.
      for (let i = 0; i < backend.processes; i++)
        gateways.push(await backend.start(configPath, join(dir, `${slug(backend.name)}-home-${started++}`)));
    };
    /** Stops every process (a clean shutdown flushes its usage log) and starts them again. */
    const restart = async () => {
      const stopping = gateways;
      gateways = [];
      await Promise.all(stopping.map((g) => g.close()));
      await startAll();
    };

    before(async () => {
      configPath = configFor(backend);
      await startAll();
    });
    after(async () => {
      await Promise.all(gateways.map((g) => g.close().catch(() => undefined)));
      await backend.cleanUp();
    });

    for (const [alias, pricedAt] of [
      ['fast', 'the price table'],
      ['deployment-priced', 'its deployment'],
    ] as const) {
      test(`budget $0.05, 100 concurrent requests with max_tokens from a new key, priced at ${pricedAt}; a restart remembers the spend`, async (t) => {
        const { key, id } = await createKey(gateways[0]!, { budget_usd: BUDGET });
        const ask = (tag: string) => ({
          model: alias,
          messages: message(`${tag} `, PROMPT_TOKENS),
          max_tokens: MAX_TOKENS,
        });
        const { outcomes } = await wave(gateways, key, 100, (i) => ask(`budget ${i}`));
        const admitted = count(outcomes, 200);
        const refused = outcomes.filter((o) => o.status === 429 && o.type === 'insufficient_quota').length;
        assert.equal(admitted + refused, 100, JSON.stringify(outcomes.filter((o) => o.status !== 200)));

        await restart();
        const { logged, rows, ledger } = await spendOf(backend, id);
        t.diagnostic(
          `${backend.name}, priced at ${pricedAt}: ${admitted}/100 admitted, spend $${logged.toFixed(4)} of $${BUDGET} (${(logged / BUDGET).toFixed(2)}x)`,
        );
        assert.equal(rows, 100, 'every request, admitted or refused, has its row');
        assert.ok(Math.abs(logged - admitted * REQUEST_USD) < 1e-9, `logged $${logged}`);
        assert.ok(Math.abs(ledger - logged) < 1e-9, `the ledger holds $${ledger}, the log $${logged}`);
        assert.ok(admitted >= 1 && refused >= 1, `${admitted} admitted, ${refused} refused`);
        assert.ok(
          logged <= BUDGET + REQUEST_USD + 1e-9,
          `${admitted} admitted spent $${logged}: more than one request ($${REQUEST_USD}) over $${BUDGET}`,
        );

        // The restarted gateways remember the spend: they admit only what is left, then refuse.
        let more = 0;
        for (;;) {
          assert.ok(more < 20, 'the restarted gateways never refused: the spend was forgotten');
          const outcome = await chat(gateways[more % gateways.length]!, key, ask(`after restart ${more}`));
          if (outcome.status === 429) {
            assert.equal(outcome.type, 'insufficient_quota');
            break;
          }
          assert.equal(outcome.status, 200);
          more++;
        }
        t.diagnostic(`${backend.name}: ${more} more admitted after the restart`);
        assert.ok(
          logged + more * REQUEST_USD <= BUDGET + REQUEST_USD + 1e-9,
          `after the restart ${more} more were admitted on top of $${logged}`,
        );
      });
    }

    test('budget $0.05, 100 concurrent requests without max_tokens from a new key', async (t) => {
      const { key } = await createKey(gateways[0]!, { budget_usd: BUDGET });
      const { outcomes } = await wave(gateways, key, 100, (i) => ({
        messages: message(`free ${i} `, PROMPT_TOKENS),
      }));
      const admitted = count(outcomes, 200);
      assert.equal(admitted + count(outcomes, 429), 100);
      const spend = admitted * FREE_REQUEST_USD;
      t.diagnostic(
        `${backend.name}: ${admitted}/100 admitted without max_tokens, spend $${spend.toFixed(4)} (${(spend / BUDGET).toFixed(2)}x)`,
      );
      assert.ok(admitted >= 1, 'nothing admitted');
      assert.ok(
        spend <= BUDGET + FREE_REQUEST_USD + 1e-9,
        `${admitted} admitted spent $${spend}: more than one request over $${BUDGET}`,
      );
    });

    test('tpm 1000, 50 concurrent requests of 300 tokens from a new key', async (t) => {
      const { key } = await createKey(gateways[0]!, { tpm: TPM });
      const { outcomes, elapsedMs } = await wave(gateways, key, 50, (i) => ({
        messages: message(`tpm ${i} `, 150),
        max_tokens: 150,
      }));
      const admitted = outcomes.filter((o) => o.status === 200);
      assert.equal(admitted.length + count(outcomes, 429), 50);
      const tokens = admitted.reduce((sum, o) => sum + (o.totalTokens ?? 0), 0);
      t.diagnostic(`${backend.name}: ${admitted.length}/50 admitted, ${tokens} tokens against tpm ${TPM}`);
      assert.ok(admitted.length >= 1, 'nothing admitted');
      // A sliding window lets in at most its limit plus what decays while the requests arrive.
      const allowance = TPM * (1 + elapsedMs / 60_000);
      assert.ok(tokens <= allowance, `${tokens} tokens admitted in ${elapsedMs} ms, allowed ${allowance}`);
    });
  });
}
