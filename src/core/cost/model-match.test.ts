import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createModelTable, matchModelKey, normalizeModelId, stripVersionSuffix } from './model-match.js';

const keys = new Map(
  ['gpt-4', 'gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'o3', 'o3-mini', 'openrouter/special'].map((k) => [k, k]),
);

describe('normalizeModelId', () => {
  test('strips Gemini, provider-colon and Bedrock prefixes and lower-cases', () => {
    assert.deepEqual(normalizeModelId('models/gemini-2.0-flash-001'), {
      id: 'gemini-2.0-flash-001',
      provider: undefined,
    });
    assert.deepEqual(normalizeModelId('openai:GPT-4o'), { id: 'gpt-4o', provider: 'openai' });
    assert.equal(
      normalizeModelId('us.anthropic.claude-3-5-sonnet-20241022-v2:0').id,
      'claude-3-5-sonnet-20241022-v2:0',
    );
  });

  test('spells Claude versions with dashes, as Anthropic does', () => {
    assert.equal(normalizeModelId('anthropic/claude-3.5-sonnet').id, 'anthropic/claude-3-5-sonnet');
    assert.equal(normalizeModelId('gemini-2.5-flash').id, 'gemini-2.5-flash');
  });

  test('leaves an unknown colon prefix alone (Ollama tags)', () => {
    assert.deepEqual(normalizeModelId('llama3.1:8b'), { id: 'llama3.1:8b', provider: undefined });
  });
});

describe('stripVersionSuffix', () => {
  for (const [id, family] of [
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['claude-3-5-sonnet-20241022', 'claude-3-5-sonnet'],
    ['claude-3-5-sonnet-v2@20241022', 'claude-3-5-sonnet'],
    ['gemini-2.0-flash-001', 'gemini-2.0-flash'],
    ['gemini-2.5-flash-preview-05-20', 'gemini-2.5-flash'],
    ['gpt-4-0613', 'gpt-4'],
    ['mistral-large-latest', 'mistral-large'],
  ]) {
    test(`${id} → ${family}`, () => assert.equal(stripVersionSuffix(id!), family));
  }
});

describe('matchModelKey', () => {
  test('the longest key wins: gpt-4o-mini never resolves to gpt-4o', () => {
    assert.equal(matchModelKey('gpt-4o-mini-search-preview', keys), 'gpt-4o-mini');
    assert.equal(matchModelKey('gpt-4o-audio-preview', keys), 'gpt-4o');
    assert.equal(matchModelKey('o3-mini-high', keys), 'o3-mini');
  });

  test('a prefix must end at a separator: gpt-4 matches neither gpt-4o-x nor gpt-4.5', () => {
    assert.equal(matchModelKey('gpt-4.5-preview', keys), undefined);
    assert.equal(matchModelKey('gpt-4-turbo', keys), 'gpt-4');
    assert.equal(matchModelKey('gpt-4.1-2025-04-14', keys), 'gpt-4.1');
  });

  test('provider-qualified keys are tried first when a provider is given', () => {
    assert.equal(matchModelKey('special', keys, 'openrouter'), 'openrouter/special');
    assert.equal(matchModelKey('special', keys), undefined);
    assert.equal(matchModelKey('openai/gpt-4o', keys, 'openrouter'), 'gpt-4o');
  });
});

describe('createModelTable', () => {
  test('registered entries replace built-ins per key and reset restores them', () => {
    const table = createModelTable({ a: 1, 'a-b': 2 });
    assert.equal(table.lookup('a-b-2024-01-01'), 2);
    table.register({ 'A-B': 20, 'groq:c': 30 });
    assert.equal(table.lookup('a-b-2024-01-01'), 20);
    assert.equal(table.lookup('a-z'), 1);
    assert.equal(table.lookup('c', 'groq'), 30);
    assert.deepEqual(table.match('a-b-latest'), { key: 'a-b', value: 20 });
    table.reset();
    assert.equal(table.lookup('a-b-2024-01-01'), 2);
    assert.equal(table.lookup('c', 'groq'), undefined);
  });
});
