/**
 * `conduit serve` as a user runs it: the process, its banner, zero-config discovery, signals.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startOpenAITestServer } from '../support/openai-test-server.js';

const BIN = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

function serve(
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; banner: Promise<string>; exit: Promise<number | null>; stderr: () => string } {
  const dir = mkdtempSync(join(tmpdir(), 'conduit-serve-'));
  const child = spawn(process.execPath, ['--import', TSX, BIN, 'serve', '--port', '0', ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir, CONDUIT_HOME: join(dir, 'home'), ...env },
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => {
    err += c;
  });
  const banner = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c;
      if (/try:/.test(out)) resolve(out);
    });
    child.on('exit', () => reject(new Error(`exited before the banner: ${out}${err}`)));
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // A test that expects an early exit never reads the banner: don't let its rejection go unhandled.
  banner.catch(() => undefined);
  return { child, banner, exit, stderr: () => err };
}

describe('conduit serve', () => {
  test('starts with no config and no keys, says how to add a model, stops cleanly on SIGTERM', async () => {
    const s = serve([], { OLLAMA_HOST: '127.0.0.1:9' });
    const banner = await s.banner;
    const url = /listening on (http:\/\/\S+)/.exec(banner)![1]!;
    assert.match(banner, /development/);
    assert.match(banner, /none yet\. Add one: export OPENAI_API_KEY/);
    assert.equal((await fetch(`${url}/health`)).status, 200);
    assert.deepEqual(await (await fetch(`${url}/v1/models`)).json(), { object: 'list', data: [] });
    s.child.kill('SIGTERM');
    assert.equal(await s.exit, 0);
  });

  test('zero-config: finds an Ollama server and a keyed provider', async () => {
    const ollama = await startOpenAITestServer({ model: 'llama3.2:latest' });
    try {
      const s = serve([], { OLLAMA_HOST: ollama.url, GROQ_API_KEY: 'gsk-test' });
      const banner = await s.banner;
      assert.match(banner, /found:\s+groq: key from GROQ_API_KEY/);
      assert.match(banner, /found:\s+ollama: 1 models/);
      const url = /listening on (http:\/\/\S+)/.exec(banner)![1]!;
      const models = (await (await fetch(`${url}/v1/models`)).json()) as { data: { id: string }[] };
      assert.ok(models.data.some((m) => m.id === 'ollama/llama3.2:latest'));
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'ollama/llama3.2:latest',
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
      assert.equal(response.status, 200);
      assert.equal(
        ((await response.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message
          .content,
        'Echo: hi',
      );
      s.child.kill('SIGINT');
      assert.equal(await s.exit, 0);
    } finally {
      await ollama.close();
    }
  });

  test('refuses a public address without a master key (exit 2) and says how to proceed', async () => {
    const refused = serve(['--host', '0.0.0.0'], {});
    assert.equal(await refused.exit, 2);
    assert.match(refused.stderr(), /without a master key.*--insecure/);
  });
});
