import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConduitError } from '../core/errors.js';
import { loadConfig, parseConfig } from './load-config.js';

function errorOf(fn: () => unknown): ConduitError {
  try {
    fn();
  } catch (error) {
    assert.ok(ConduitError.isInstance(error), `expected a ConduitError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an error');
}

describe('parseConfig', () => {
  test('reads aliases (full and shorthand), providers, pricing and interpolates ${VAR}', () => {
    const config = parseConfig(
      [
        'models:',
        '  fast:',
        '    deployments:',
        '      - provider: openai',
        '        model: gpt-4o-mini',
        '        api_key: ${KEY}',
        '  claude:',
        '    provider: anthropic',
        '    model: claude-3-5-haiku-latest',
        'providers:',
        '  groq:',
        '    base_url: ${GROQ_URL:-https://api.groq.com/openai/v1}',
        'pricing:',
        '  my-model: { input: 1, output: 2 }',
      ].join('\n'),
      'conduit.yaml',
      { KEY: 'sk-secret' },
    );
    assert.equal(config.models.fast!.deployments[0]!.api_key, 'sk-secret');
    assert.equal(config.models.fast!.strategy, 'fallback');
    assert.equal(config.models.claude!.deployments[0]!.provider, 'anthropic');
    assert.equal(config.providers.groq!.base_url, 'https://api.groq.com/openai/v1');
    assert.deepEqual(config.pricing['my-model'], { input: 1, output: 2 });
  });

  test('an unknown key names the file, the line and the key path', () => {
    const text = [
      'models:',
      '  fast:',
      '    deployments:',
      '      - provider: openai',
      '        modle: gpt-4o',
    ].join('\n');
    const error = errorOf(() => parseConfig(text, 'conduit.yaml', {}));
    assert.match(error.message, /^conduit\.yaml:5: unknown key models\.fast\.deployments\[0\]\.modle/);
  });

  test('a wrong type names the line and key', () => {
    const text = ['defaults:', '  timeout:', '    total_ms: soon'].join('\n');
    const error = errorOf(() => parseConfig(text, 'c.yaml', {}));
    assert.match(error.message, /^c\.yaml:3: defaults\.timeout\.total_ms: .*number/i);
  });

  test('a missing environment variable is an error that says how to fix it', () => {
    const text = ['providers:', '  openai:', '    api_key: ${NOT_SET_ANYWHERE}'].join('\n');
    const error = errorOf(() => parseConfig(text, 'c.yaml', {}));
    assert.match(
      error.message,
      /c\.yaml:3: providers\.openai\.api_key uses \$\{NOT_SET_ANYWHERE\}, but NOT_SET_ANYWHERE is not set/,
    );
  });

  test('invalid YAML reports line and column', () => {
    const error = errorOf(() => parseConfig('models:\n  fast: [unclosed\n', 'c.yaml', {}));
    assert.match(error.message, /^c\.yaml:\d+:\d+: invalid YAML/);
  });
});

describe('loadConfig', () => {
  test('finds ./conduit.yaml, and runs on defaults when there is none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conduit-config-'));
    const empty = await loadConfig({ cwd: dir, env: { CONDUIT_HOME: join(dir, 'home') } });
    assert.equal(empty.path, undefined);
    assert.deepEqual(empty.config.models, {});
    writeFileSync(join(dir, 'conduit.yaml'), 'models:\n  a: { provider: openai, model: gpt-4o }\n');
    const found = await loadConfig({ cwd: dir, env: { CONDUIT_HOME: join(dir, 'home') } });
    assert.equal(found.path, join(dir, 'conduit.yaml'));
    assert.equal(found.config.models.a!.deployments[0]!.model, 'gpt-4o');
  });
});
