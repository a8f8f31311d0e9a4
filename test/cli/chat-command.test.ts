/**
 * `conduit chat` end to end: the real CLI process against a local OpenAI-compatible server.
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

const run = (args: string[], input?: string, env: Record<string, string> = {}) =>
  runCli(args, { cwd: dir, input, env: { HOME: dir, CONDUIT_HOME: join(dir, 'home'), ...env } });

before(async () => {
  server = await startOpenAITestServer();
  dir = mkdtempSync(join(tmpdir(), 'conduit-cli-'));
  writeFileSync(
    join(dir, 'conduit.yaml'),
    [
      'models:',
      '  fast:',
      '    provider: openai-compatible',
      '    model: gpt-4o-mini',
      `    base_url: ${server.baseURL}`,
      // The first deployment refuses connections (nothing listens on port 9 here); the second answers.
      '  resilient:',
      '    deployments:',
      '      - provider: openai-compatible',
      '        model: down-model',
      '        base_url: http://127.0.0.1:9/v1',
      '      - provider: openai-compatible',
      '        model: gpt-4o-mini',
      `        base_url: ${server.baseURL}`,
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'person.json'),
    JSON.stringify({
      type: 'object',
      properties: {
        name: { type: 'string' },
        age: { type: 'integer' },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['name', 'age', 'tags'],
      additionalProperties: false,
    }),
  );
});
after(() => server.close());

describe('conduit chat', () => {
  test('an alias falls back like the gateway when its first deployment refuses connections (issue 9)', async () => {
    const result = await run(['chat', '-m', 'resilient', '--json', 'still answered']);
    assert.equal(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout) as { text: string; provider: string; deployment: string };
    assert.equal(json.text, 'Echo: still answered');
    assert.equal(json.deployment, 'resilient/1');
    const streamed = await run(['chat', '-m', 'resilient', 'streamed too']);
    assert.equal(streamed.code, 0, streamed.stderr);
    assert.equal(streamed.stdout, 'Echo: streamed too\n');
  });

  test('streams the answer to stdout', async () => {
    server.enqueue({ eventDelayMs: 40 });
    const result = await run(['chat', '-m', 'fast', 'one two three four']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'Echo: one two three four\n');
    assert.ok(result.chunks.length > 1, `expected several stdout writes, got ${result.chunks.length}`);
  });

  test('reads the prompt from stdin and --json prints usage and cost', async () => {
    const result = await run(['chat', '--model', 'fast', '--json'], 'piped prompt\n');
    assert.equal(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout) as {
      text: string;
      finish_reason: string;
      usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
      cost_usd: unknown;
      latency_ms: unknown;
    };
    assert.equal(json.text, 'Echo: piped prompt');
    assert.equal(json.finish_reason, 'stop');
    assert.ok(json.usage.prompt_tokens > 0 && json.usage.completion_tokens > 0);
    assert.equal(json.usage.total_tokens, json.usage.prompt_tokens + json.usage.completion_tokens);
    assert.ok(typeof json.cost_usd === 'number' && json.cost_usd > 0, 'gpt-4o-mini has a price');
    assert.equal(typeof json.latency_ms, 'number');
  });

  test('--schema returns JSON that matches the schema', async () => {
    const result = await run(['chat', '-m', 'fast', '--schema', 'person.json', 'invent a person']);
    assert.equal(result.code, 0, result.stderr);
    const object = JSON.parse(result.stdout) as { name: unknown; age: unknown; tags: unknown };
    assert.equal(typeof object.name, 'string');
    assert.ok(Number.isInteger(object.age));
    assert.ok(Array.isArray(object.tags) && object.tags.every((t) => typeof t === 'string'));
    const sent = server.requests.at(-1)!.body.response_format as { type: string };
    assert.equal(sent.type, 'json_schema');
  });

  test('provider:model without an alias: a generic server with no base URL is a usage error saying what to set', async () => {
    const result = await run(
      ['chat', '-m', 'openai-compatible:some-model', '-s', 'Be terse.', 'hi'],
      undefined,
      {
        OPENAI_COMPATIBLE_API_KEY: 'k',
      },
    );
    // The generic preset needs a base URL: the error says so and the exit code is a usage error.
    assert.equal(result.code, 2);
    assert.match(result.stderr, /base URL/);
  });

  test('exit codes: 2 for bad usage, 1 for an upstream failure', async () => {
    const missing = await run(['chat', 'hello']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no model chosen: pass -m .*CONDUIT_MODEL.*default_model/);
    const unknown = await run(['chat', '-m', 'nosuchalias', 'hello']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown model "nosuchalias".*fast/);
    const badFlag = await run(['chat', '--temperature', 'hot', '-m', 'fast', 'x']);
    assert.equal(badFlag.code, 2);
    server.enqueue({
      status: 401,
      body: { error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } },
    });
    const auth = await run(['chat', '-m', 'fast', 'hello']);
    assert.equal(auth.code, 1);
    assert.match(auth.stderr, /^conduit: .*Incorrect API key/);
  });

  test('an interactive session answers slash commands itself and sends only messages (--interactive reads a pipe)', async () => {
    const before = server.requests.length;
    const lines = [
      '/help',
      'hello',
      '/nosuch',
      '/system Be brief.',
      'second',
      '/clear',
      'third',
      '/model resilient',
      '/model',
      '//slash kept',
      '/exit',
      'never sent',
    ];
    const result = await run(['chat', '-i', '-m', 'fast'], `${lines.join('\n')}\n`);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /\/help lists the commands/);
    assert.match(result.stdout, /\/model \[name\]/, '/help lists the commands');
    assert.match(result.stdout, /Unknown command \/nosuch: not sent to the model/);
    assert.match(result.stdout, /now chatting with router:resilient/);
    const sent = server.requests
      .slice(before)
      .map((r) => r.body.messages as { role: string; content: string }[]);
    const text = (messages: { role: string; content: string }[]) =>
      messages.map((m) => `${m.role}: ${m.content}`);
    assert.deepEqual(sent.map(text), [
      ['user: hello'],
      ['system: Be brief.', 'user: hello', 'assistant: Echo: hello', 'user: second'],
      ['system: Be brief.', 'user: third'],
      ['system: Be brief.', 'user: third', 'assistant: Echo: third', 'user: /slash kept'],
    ]);
  });

  test('--help works on every command', async () => {
    for (const args of [['--help'], ['chat', '--help'], ['models', '--help']]) {
      const result = await run(args);
      assert.equal(result.code, 0);
      assert.match(result.stdout, /Usage: conduit/);
    }
  });
});

describe('conduit models', () => {
  test('lists configured aliases with context window and price; --json is data', async () => {
    const table = await run(['models']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /fast\s+openai-compatible\s+gpt-4o-mini\s+128,000\s+0\.15\s+0\.60/);
    const json = JSON.parse((await run(['models', '--json'])).stdout) as {
      models: { name: string; context_window: number }[];
    };
    // One row per deployment; an unknown model has no known context window.
    assert.deepEqual(
      json.models.map((m) => [m.name, m.context_window]),
      [
        ['fast', 128000],
        ['resilient', null],
        ['resilient', 128000],
      ],
    );
  });
});
