import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type OpenAITestServer, startOpenAITestServer } from '../../test/support/openai-test-server.js';
import { parseConfig } from '../config/load-config.js';
import { collectStream } from '../core/collect-stream.js';
import { ConduitError } from '../core/errors.js';
import type { CallReport } from '../core/language-model.js';
import { parseModelName } from './model-registry.js';
import { openConduit } from './open-conduit.js';

let server: OpenAITestServer;
before(async () => {
  server = await startOpenAITestServer();
});
after(() => server.close());

const config = (extra = '') =>
  parseConfig(
    [
      'models:',
      '  fast:',
      '    deployments:',
      '      - { provider: openai-compatible, model: down, base_url: "http://127.0.0.1:9/v1" }',
      `      - { provider: openai-compatible, model: gpt-4o-mini, base_url: "${server.baseURL}" }`,
      '  solo:',
      `    provider: openai-compatible`,
      `    model: gpt-4o-mini`,
      `    base_url: ${server.baseURL}`,
      extra,
    ].join('\n'),
    'conduit.yaml',
  );

describe('parseModelName', () => {
  test('provider:model, provider/model, model names with colons and slashes, .gguf paths', () => {
    assert.deepEqual(parseModelName('openai:gpt-4o-mini'), { provider: 'openai', model: 'gpt-4o-mini' });
    assert.deepEqual(parseModelName('openai/gpt-4o-mini'), { provider: 'openai', model: 'gpt-4o-mini' });
    assert.deepEqual(parseModelName('ollama:llama3.2:1b'), { provider: 'ollama', model: 'llama3.2:1b' });
    assert.deepEqual(parseModelName('together/Qwen/Qwen2.5-7B'), {
      provider: 'together',
      model: 'Qwen/Qwen2.5-7B',
    });
    assert.deepEqual(parseModelName('./models/tiny.gguf'), {
      provider: 'local',
      model: './models/tiny.gguf',
    });
    assert.equal(parseModelName('fast'), undefined);
  });
});

describe('openConduit', () => {
  test('an alias is a router: the first deployment refuses, the second answers; one row and spans per call', async () => {
    const conduit = await openConduit({ config: config(), storage: 'memory:', env: {} });
    try {
      const report: CallReport = { attempts: [] };
      const result = await conduit.models
        .get('fast')
        .generate({ messages: [{ role: 'user', content: 'hello' }] }, { report, requestId: 'r1' });
      assert.equal(result.text, 'Echo: hello');
      assert.deepEqual(
        report.attempts.map((a) => [a.deployment, a.error ? 'failed' : 'ok']),
        [
          ['fast/0', 'failed'],
          ['fast/1', 'ok'],
        ],
      );
      const streamed = await collectStream(
        conduit.models
          .get('fast')
          .stream({ messages: [{ role: 'user', content: 'again' }] }, { requestId: 'r2' }),
      );
      assert.equal(streamed.text, 'Echo: again');

      await conduit.usage.flush();
      await conduit.traces.flush();
      const { rows } = await conduit.storage.usage.query({});
      assert.deepEqual(rows.map((r) => [r.requestId, r.status, r.deployment]).sort(), [
        ['r1', 200, 'fast/1'],
        ['r2', 200, 'fast/1'],
      ]);
      const row = rows.find((r) => r.requestId === 'r1')!;
      assert.ok(row.traceId);
      const spans = await conduit.storage.traces.getTrace(row.traceId);
      assert.deepEqual(spans.map((s) => s.kind).sort(), ['client', 'client', 'internal']);
    } finally {
      await conduit.close();
    }
  });

  test('provider:model and provider/model resolve to the same kind of router; unknown names say what to use', async () => {
    const conduit = await openConduit({ config: config(), storage: 'memory:', env: {} });
    try {
      const colon = conduit.models.entry('ollama:llama3.2:1b');
      const slash = conduit.models.entry('ollama/llama3.2:1b');
      assert.equal(colon.kind, 'direct');
      assert.equal(colon.router.id, 'router:ollama:llama3.2:1b');
      assert.equal(slash.deployments[0]!.name, 'ollama:llama3.2:1b');
      assert.throws(
        () => conduit.models.get('nosuch'),
        (error: unknown) =>
          error instanceof ConduitError &&
          error.code === 'not_found' &&
          error.param === 'model' &&
          /Unknown model "nosuch".*fast, solo/.test(error.message),
      );
      assert.deepEqual(
        conduit.models.list().map((m) => m.id),
        ['fast', 'solo'],
      );
    } finally {
      await conduit.close();
    }
  });

  test('the gateway surface reaches only offered providers by provider/model', async () => {
    const conduit = await openConduit({ config: config(), storage: 'memory:', env: {}, surface: 'gateway' });
    try {
      assert.throws(() => conduit.models.get('openai/gpt-4o-mini'), /does not exist on this gateway/);
      assert.equal(conduit.models.get('solo').modelId, 'solo');
    } finally {
      await conduit.close();
    }
  });

  test('a successor inherits storage and tracer; the old runtime closes without closing them', async () => {
    const first = await openConduit({ config: config(), storage: 'memory:', env: {} });
    const second = await openConduit({ config: config('default_model: solo'), env: {}, inherit: first });
    assert.equal(second.storage, first.storage);
    assert.equal(second.traces, first.traces);
    await first.close();
    const result = await second.models
      .get('solo')
      .generate({ messages: [{ role: 'user', content: 'still' }] });
    assert.equal(result.text, 'Echo: still');
    await second.usage.flush();
    assert.equal((await second.storage.usage.query({})).rows.length, 1, 'the storage is still open');
    await second.close();
  });
});
