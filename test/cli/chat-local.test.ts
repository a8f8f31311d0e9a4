/**
 * `conduit chat --model local:<file.gguf> "hi" --json` with the generated test model, and
 * `conduit models` listing what is in the model store.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { testModelPath } from '../../src/engine/test-support/test-model.js';
import { runCli } from '../support/run-cli.js';

const run = (args: string[], env: Record<string, string>) => runCli(args, { env });

describe('conduit chat with a local GGUF model', () => {
  test('--json shows text and exact local token usage; models lists the store', async () => {
    const model = await testModelPath();
    const home = mkdtempSync(join(tmpdir(), 'conduit-local-cli-'));
    const result = await run(['chat', '--model', `local:${model}`, '--max-tokens', '6', 'hi', '--json'], {
      HOME: home,
      CONDUIT_HOME: home,
    });
    assert.equal(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout) as {
      provider: string;
      text: string;
      usage: { prompt_tokens: number; completion_tokens: number };
    };
    assert.equal(json.provider, 'local');
    assert.equal(typeof json.text, 'string');
    assert.ok(
      json.usage.prompt_tokens > 0 && json.usage.completion_tokens > 0 && json.usage.completion_tokens <= 6,
    );

    mkdirSync(join(home, 'models'), { recursive: true });
    copyFileSync(model, join(home, 'models', 'tiny.gguf'));
    const listed = await run(['models', '--json'], { HOME: home, CONDUIT_HOME: home });
    assert.equal(listed.code, 0, listed.stderr);
    const models = JSON.parse(listed.stdout) as {
      local_models: { name: string; architecture: string | null }[];
    };
    assert.deepEqual(
      models.local_models.map((m) => [m.name, m.architecture]),
      [['tiny', 'llama']],
    );
  });
});
