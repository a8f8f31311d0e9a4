/**
 * `conduit list` and `conduit rm`, end to end: the real CLI in a child process over a model store in
 * a temporary CONDUIT_HOME. Neither command reads a model file's contents, so the store holds small
 * stand-in files named *.gguf (and one manifest as `conduit pull` writes it).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, test } from 'node:test';
import { EXIT_FAILURE } from '../../src/cli/cli-error.js';
import { runCli } from '../support/run-cli.js';

let home: string;
let models: string;
const run = (args: string[]) => runCli(args, { env: { HOME: home, CONDUIT_HOME: home } });

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'conduit-store-'));
  models = join(home, 'models');
  mkdirSync(models);
  writeFileSync(join(models, 'qwen-tiny.gguf'), Buffer.alloc(2_500_000));
  writeFileSync(
    join(models, 'qwen-tiny.gguf.json'),
    JSON.stringify({
      source: 'hf:acme/qwen-GGUF:qwen-tiny.gguf',
      url: 'https://huggingface.co/acme/qwen-GGUF/resolve/main/qwen-tiny.gguf',
      sha256: 'a'.repeat(64),
      bytes: 2_500_000,
      pulledAt: '2025-01-01T00:00:00.000Z',
    }),
  );
  writeFileSync(join(models, 'llama-mini.gguf'), Buffer.alloc(512));
  const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000 - 60_000);
  utimesSync(join(models, 'llama-mini.gguf'), threeDaysAgo, threeDaysAgo);
  writeFileSync(join(models, 'downloading.gguf.partial'), 'not finished');
});

describe('conduit list', () => {
  test('shows name, size and age of each complete model, sorted by name', async () => {
    const result = await run(['list']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.trimEnd().split('\n'), [
      'NAME        SIZE    MODIFIED',
      'llama-mini  512 B   3 days ago',
      'qwen-tiny   2.5 MB  Less than a minute ago',
    ]);
    assert.equal((await run(['ls'])).stdout, result.stdout);
  });

  test('--json is data: path, size in bytes, ISO time and where pull got it', async () => {
    const result = await run(['list', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout) as {
      store: string;
      models: {
        name: string;
        path: string;
        size_bytes: number;
        modified_at: string;
        source: string | null;
      }[];
    };
    assert.equal(json.store, models);
    assert.deepEqual(
      json.models.map((m) => [m.name, m.path, m.size_bytes, m.source]),
      [
        ['llama-mini', join(models, 'llama-mini.gguf'), 512, null],
        ['qwen-tiny', join(models, 'qwen-tiny.gguf'), 2_500_000, 'hf:acme/qwen-GGUF:qwen-tiny.gguf'],
      ],
    );
    assert.ok(Date.now() - Date.parse(json.models[0]!.modified_at) > 3 * 86_400_000);
  });

  test('an empty store says how to get a model; exit 0', async () => {
    const empty = await runCli(['list'], { env: { HOME: home, CONDUIT_HOME: join(home, 'none') } });
    assert.equal(empty.code, 0);
    assert.match(empty.stdout, /^No models in .*none\/models\. Download one with `conduit pull/);
  });
});

describe('conduit rm', () => {
  test('deletes the model and its manifest; local:<name> and any case work', async () => {
    const result = await run(['rm', 'local:Qwen-Tiny']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'Deleted qwen-tiny (2.5 MB)\n');
    assert.equal(existsSync(join(models, 'qwen-tiny.gguf')), false);
    assert.equal(existsSync(join(models, 'qwen-tiny.gguf.json')), false);
    assert.match((await run(['list'])).stdout, /^NAME.*\nllama-mini .*\n$/);
  });

  test('--json lists what was deleted', async () => {
    const result = await run(['rm', 'llama-mini', 'qwen-tiny', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout) as { deleted: { name: string; size_bytes: number }[] };
    assert.deepEqual(
      json.deleted.map((m) => [m.name, m.size_bytes]),
      [
        ['llama-mini', 512],
        ['qwen-tiny', 2_500_000],
      ],
    );
    assert.match((await run(['list'])).stdout, /^No models/);
  });

  test('an unknown name exits 1, lists what exists, and deletes nothing', async () => {
    const result = await run(['rm', 'qwen-tiny', 'mistral']);
    assert.equal(result.code, EXIT_FAILURE);
    assert.equal(
      result.stderr,
      `conduit: No model "mistral" in ${models}. Models in the store: llama-mini, qwen-tiny. Nothing was deleted.\n`,
    );
    assert.equal(existsSync(join(models, 'qwen-tiny.gguf')), true);
  });

  test('no name is a usage error (exit 2)', async () => {
    const result = await run(['rm']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /missing required argument 'names'/);
  });
});
