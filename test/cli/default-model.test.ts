/**
 * `default_model` in conduit.yaml: the real CLI picks `-m`, then $CONDUIT_MODEL, then default_model,
 * in every command that needs a generative model (chat, ask, search --rerank), and says all three
 * ways when none is set.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type OpenAITestServer, startOpenAITestServer } from '../support/openai-test-server.js';
import { runCli } from '../support/run-cli.js';

let server: OpenAITestServer;
let dir: string;

const run = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { cwd: dir, env: { HOME: dir, CONDUIT_HOME: join(dir, 'home'), ...env } });

/** The upstream model the last request asked for: which alias the CLI chose. */
const lastModel = () => server.requests.at(-1)?.body.model;

before(async () => {
  server = await startOpenAITestServer();
  dir = mkdtempSync(join(tmpdir(), 'conduit-default-model-'));
  const aliases = [
    'models:',
    `  fast: { provider: openai-compatible, model: fast-model, base_url: "${server.baseURL}" }`,
    `  other: { provider: openai-compatible, model: other-model, base_url: "${server.baseURL}" }`,
  ];
  writeFileSync(join(dir, 'conduit.yaml'), [...aliases, 'default_model: fast'].join('\n'));
  writeFileSync(join(dir, 'none.yaml'), aliases.join('\n'));
  writeFileSync(join(dir, 'leave.md'), '# Leave\n\nParental leave is sixteen weeks, paid in full.\n');
  const ingested = await run(['ingest', 'leave.md', '--collection', 'kb']);
  assert.equal(ingested.code, 0, ingested.stderr);
});
after(() => server.close());

describe('default_model', () => {
  test('chat: -m wins, then $CONDUIT_MODEL, then default_model', async () => {
    const fromConfig = await run(['chat', 'hi']);
    assert.equal(fromConfig.code, 0, fromConfig.stderr);
    assert.equal(fromConfig.stdout, 'Echo: hi\n');
    assert.equal(lastModel(), 'fast-model');
    assert.equal((await run(['chat', 'hi'], { CONDUIT_MODEL: 'other' })).code, 0);
    assert.equal(lastModel(), 'other-model');
    assert.equal((await run(['chat', '-m', 'fast', 'hi'], { CONDUIT_MODEL: 'other' })).code, 0);
    assert.equal(lastModel(), 'fast-model');
  });

  test('with none of the three, chat says all three ways and exits 2', async () => {
    const result = await run(['-c', 'none.yaml', 'chat', 'hi']);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /^conduit: no model chosen: pass -m <model>.*set CONDUIT_MODEL.*default_model/,
    );
  });

  test('ask answers with default_model (not extractively)', async () => {
    const before = server.requests.length;
    const result = await run(['ask', 'How long is parental leave?', '--collection', 'kb', '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(server.requests.length, before + 1);
    assert.equal(lastModel(), 'fast-model');
  });

  test('search --rerank ranks with default_model; without any model it is a usage error naming all three', async () => {
    const before = server.requests.length;
    const ranked = await run(['search', 'parental leave', '--collection', 'kb', '--rerank', '--json']);
    assert.equal(ranked.code, 0, ranked.stderr);
    assert.ok(server.requests.length > before, 'the reranker called the model');
    assert.equal(lastModel(), 'fast-model');
    const none = await run(['-c', 'none.yaml', 'search', 'leave', '--collection', 'kb', '--rerank']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /--rerank needs a model to rank with: pass -m .*CONDUIT_MODEL.*default_model/);
  });
});
