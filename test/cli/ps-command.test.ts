/**
 * `conduit ps` asks a real gateway (started in-process, with a master key) which local models it
 * has loaded: nothing before the first request, the generated test model after one; and it fails
 * with exit 1 and a way forward without the key or without a gateway.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { testModelPath } from '../../src/engine/test-support/test-model.js';
import { type Harness, startHarness } from '../support/gateway-harness.js';
import { runCli } from '../support/run-cli.js';

const MASTER = 'sk-master-ps-test';
let h: Harness;
const home = mkdtempSync(join(tmpdir(), 'conduit-ps-'));

const ps = (args: string[], env: Record<string, string> = {}) =>
  runCli(['ps', ...args], { cwd: home, env: { HOME: home, CONDUIT_HOME: home, ...env } });

before(async () => {
  const model = await testModelPath();
  h = await startHarness({
    upstreams: 0,
    config: () =>
      [`master_key: ${MASTER}`, 'models:', '  tiny:', '    provider: local', `    model: ${model}`].join(
        '\n',
      ),
  });
});
after(() => h?.close());

interface PsJson {
  gateway: string;
  models: {
    name: string;
    path: string;
    size_bytes: number;
    running: number;
    waiting: number;
    context_size: number;
    unloads_at: string | null;
    unloads_in_ms: number | null;
  }[];
}

describe('conduit ps', () => {
  test('lists what the gateway has loaded: nothing at first, the model after a request', async () => {
    const empty = await ps(['--url', h.url, '--api-key', MASTER, '--json']);
    assert.equal(empty.code, 0, empty.stderr);
    assert.deepEqual(JSON.parse(empty.stdout), { gateway: h.url, models: [] });
    const table = await ps(['--url', h.url], { CONDUIT_API_KEY: MASTER });
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /No local models loaded by the gateway/);

    const res = await fetch(`${h.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tiny', max_tokens: 4, messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(res.status, 200, await res.text());

    const loaded = await ps(['--json'], { CONDUIT_URL: h.url, CONDUIT_API_KEY: MASTER });
    assert.equal(loaded.code, 0, loaded.stderr);
    const json = JSON.parse(loaded.stdout) as PsJson;
    assert.equal(json.models.length, 1);
    const [model] = json.models;
    assert.equal(model!.name, 'tiny');
    assert.equal(model!.path, await testModelPath());
    assert.ok(model!.size_bytes > 0);
    assert.equal(model!.running + model!.waiting, 0);
    assert.ok(model!.context_size > 0);
    // Idle: it unloads after the default keep-alive of 5 minutes (minus the time this test took).
    assert.ok(model!.unloads_in_ms! > 60_000 && model!.unloads_in_ms! <= 5 * 60_000);

    const shown = await ps(['--url', h.url, '--api-key', MASTER]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^NAME\s+SIZE\s+RUNNING\s+WAITING\s+CONTEXT\s+UNTIL\n/);
    assert.match(shown.stdout, /\s0\s+0\s+\d+\s+\d minutes from now\n$/);
  });

  test('without the master key: exit 1, saying how to pass it', async () => {
    const result = await ps(['--url', h.url]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^conduit: .*master key.*--api-key or CONDUIT_API_KEY/);
  });

  test('no gateway listening: exit 1, saying how to start one', async () => {
    // A port that was free a moment ago.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const url = `http://127.0.0.1:${port}`;
    const result = await ps(['--url', url]);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `conduit: no gateway at ${url} (start one with conduit serve)\n`);
  });
});
