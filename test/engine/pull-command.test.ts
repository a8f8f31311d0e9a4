/**
 * `conduit pull` and the local model listing, end to end: the real CLI in a child process, a local
 * HTTP server standing in for the Hugging Face Hub, and CONDUIT_HOME in a temporary folder.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EXIT_FAILURE, EXIT_USAGE } from '../../src/cli/cli-error.js';
import { formatLocalModels, listLocalModels } from '../../src/cli/commands/local-models.js';
import { testDir, testModelPath } from '../../src/engine/test-support/test-model.js';
import { runCli } from '../support/run-cli.js';

let server: Server;
let model: Buffer;
let home: string;
let endpoint: string;

before(async () => {
  model = await readFile(await testModelPath());
  const sha = createHash('sha256').update(model).digest('hex');
  server = createServer((req, res) => {
    if (req.url === '/acme/tiny-GGUF/resolve/main/tiny-f32.gguf') {
      res.writeHead(200, { etag: `"${sha}"`, 'content-length': String(model.length) }).end(model);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  home = join(testDir(), 'home');
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Runs the real `conduit <args>` in a child process; resolves to its exit code and output. */
const run = (args: string[]) =>
  runCli(args, { env: { HOME: home, CONDUIT_HOME: home, CONDUIT_HF_ENDPOINT: endpoint } });

describe('conduit pull', () => {
  test('--json prints where the model went and its verified checksum; exit 0', async () => {
    const result = await run(['pull', 'acme/tiny-GGUF/tiny-f32.gguf', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.equal(json.name, 'tiny-f32');
    assert.equal(json.path, join(home, 'models', 'tiny-f32.gguf'));
    assert.equal(json.verified, true);
    assert.equal(json.bytes, model.length);
  });

  test('without --json it says how to use the model', async () => {
    const result = await run(['pull', 'acme/tiny-GGUF/tiny-f32.gguf']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /Already in the store: tiny-f32/);
    assert.match(result.stdout, /conduit chat -m local:tiny-f32 "hi"/);
  });

  test('a missing file exits 1; a malformed source or checksum exits 2; each says why on stderr', async () => {
    const missing = await run(['pull', 'acme/tiny-GGUF/missing.gguf']);
    assert.equal(missing.code, EXIT_FAILURE);
    assert.match(missing.stderr, /^conduit: No such file: hf:acme\/tiny-GGUF:missing\.gguf \(HTTP 404\)/);
    const bad = await run(['pull', 'not-a-source']);
    assert.equal(bad.code, EXIT_USAGE);
    assert.match(bad.stderr, /Use owner\/repo\/file\.gguf/);
    assert.equal((await run(['pull', 'acme/tiny-GGUF/tiny-f32.gguf', '--sha256', 'xyz'])).code, EXIT_USAGE);
    const help = await run(['pull', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /resumes when you run the same command again/);
  });

  test('the pulled model is listed with architecture, quantization, context length and source', async () => {
    const rows = await listLocalModels({ env: { CONDUIT_HOME: home } });
    assert.deepEqual(
      rows.map((r) => [r.name, r.architecture, r.quantization, r.context_length, r.source, r.loaded]),
      [['tiny-f32', 'llama', 'F32', 4096, 'hf:acme/tiny-GGUF:tiny-f32.gguf', false]],
    );
    const loaded = await listLocalModels({
      env: { CONDUIT_HOME: home },
      isLoaded: (path) => path.endsWith('tiny-f32.gguf'),
    });
    assert.equal(loaded[0]?.loaded, true);
    assert.match(formatLocalModels(loaded), /local:tiny-f32\s+llama\s+F32\s+4,096\s+\d+ KB\s+yes\s+hf:acme/);
  });
});
