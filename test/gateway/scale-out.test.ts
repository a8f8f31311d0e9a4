/**
 * Scale-out against the real services: two gateway processes sharing PostgreSQL (keys, usage log)
 * and Redis (rate limits, cache, cooldowns). One key with rpm 60 admits 60 requests in total, and
 * both processes' usage rows land in the one log. CI starts PostgreSQL and Redis (.ci/run).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type OpenAITestServer, startOpenAITestServer } from '../support/openai-test-server.js';

const BIN = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const POSTGRES = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const MASTER = 'sk-master-scale-out';
const schema = `conduit_scale_${randomBytes(4).toString('hex')}`;

let upstream: OpenAITestServer;
const gateways: { child: ChildProcess; url: string; exit: Promise<number | null> }[] = [];

function startGateway(configPath: string, home: string): Promise<(typeof gateways)[number]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', TSX, BIN, '--config', configPath, 'serve', '--port', '0', '--no-watch'],
      {
        env: { PATH: process.env.PATH, HOME: home, CONDUIT_HOME: home },
      },
    );
    let out = '';
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const onData = (c: Buffer) => {
      out += c;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve({ child, url: match[1]!, exit });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) =>
      reject(
        new Error(
          `gateway exited (${code}) before listening: ${out}\nIs PostgreSQL (${POSTGRES}) and Redis (${REDIS}) running? .ci/run starts them.`,
        ),
      ),
    );
  });
}

before(async () => {
  upstream = await startOpenAITestServer();
  const dir = mkdtempSync(join(tmpdir(), 'conduit-scale-'));
  const configPath = join(dir, 'conduit.yaml');
  writeFileSync(
    configPath,
    [
      `master_key: ${MASTER}`,
      `storage: ${POSTGRES}?schema=${schema}`,
      `redis: ${REDIS}`,
      'models:',
      '  fast:',
      '    provider: openai-compatible',
      '    model: gpt-4o-mini',
      `    base_url: ${upstream.baseURL}`,
    ].join('\n'),
  );
  // One after the other: the second also proves that opening an already-migrated schema is harmless.
  gateways.push(await startGateway(configPath, join(dir, 'a')));
  gateways.push(await startGateway(configPath, join(dir, 'b')));
});

after(async () => {
  for (const g of gateways) g.child.kill('SIGKILL');
  await upstream?.close();
  const client = new pg.Client({ connectionString: POSTGRES });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

describe('two gateway processes, PostgreSQL + Redis', () => {
  test('a key with rpm 60 admits exactly 60 of 100 requests spread over both; both log to one table', async () => {
    const [a, b] = gateways as [(typeof gateways)[number], (typeof gateways)[number]];
    const created = await fetch(`${a.url}/admin/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'shared', rpm: 60 }),
    });
    assert.equal(created.status, 201);
    const { key, id } = (await created.json()) as { key: string; id: string };

    const statuses: number[] = [];
    for (let wave = 0; wave < 10; wave++) {
      statuses.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, async (_, i) => {
            const target = (wave * 10 + i) % 2 === 0 ? a : b;
            const response = await fetch(`${target.url}/v1/chat/completions`, {
              method: 'POST',
              headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
              body: JSON.stringify({
                model: 'fast',
                messages: [{ role: 'user', content: `hi ${wave}-${i}` }],
              }),
            });
            await response.text();
            return response.status;
          }),
        )),
      );
    }
    assert.equal(statuses.filter((s) => s === 200).length, 60, `admitted: ${statuses.join(',')}`);
    assert.equal(statuses.filter((s) => s === 429).length, 40);

    // Clean shutdown flushes both usage logs into the shared table.
    for (const g of gateways) g.child.kill('SIGTERM');
    assert.deepEqual(await Promise.all(gateways.map((g) => g.exit)), [0, 0]);
    const client = new pg.Client({ connectionString: POSTGRES });
    await client.connect();
    const { rows } = await client.query(
      `SELECT status, count(*)::int AS n FROM ${schema}.usage_log WHERE key_id = $1 GROUP BY status ORDER BY status`,
      [id],
    );
    await client.end();
    assert.deepEqual(rows, [
      { status: 200, n: 60 },
      { status: 429, n: 40 },
    ]);
  });
});
