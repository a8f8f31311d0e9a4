import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { contextWindowFor, registerContextWindows, resetContextWindows } from './context-windows.js';

afterEach(() => resetContextWindows());

describe('contextWindowFor', () => {
  test('matches snapshots and provider forms like the price table', () => {
    assert.deepEqual(contextWindowFor('gpt-4o-mini-2024-07-18'), {
      contextTokens: 128_000,
      maxOutputTokens: 16_384,
    });
    assert.equal(contextWindowFor('claude-3-5-sonnet-20241022')?.contextTokens, 200_000);
    assert.equal(contextWindowFor('models/gemini-2.0-flash-001')?.contextTokens, 1_048_576);
    assert.equal(contextWindowFor('openai/gpt-4.1-mini')?.contextTokens, 1_047_576);
  });

  test('the most specific family wins', () => {
    assert.equal(contextWindowFor('gpt-4-0613')?.contextTokens, 8_192);
    assert.equal(contextWindowFor('gpt-4-turbo-2024-04-09')?.contextTokens, 128_000);
    assert.equal(contextWindowFor('claude-3-7-sonnet-latest')?.maxOutputTokens, 64_000);
    assert.equal(contextWindowFor('claude-3-5-sonnet-latest')?.maxOutputTokens, 8_192);
  });

  test('reports the separate input cap where the API has one', () => {
    assert.deepEqual(contextWindowFor('gpt-5-2025-08-07'), {
      contextTokens: 400_000,
      maxOutputTokens: 128_000,
      maxInputTokens: 272_000,
    });
  });

  test('a local engine can register the window it loaded a model with', () => {
    assert.equal(contextWindowFor('local:qwen2.5-0.5b'), undefined);
    registerContextWindows({ 'local:qwen2.5-0.5b': { contextTokens: 4096 } });
    assert.equal(contextWindowFor('local:qwen2.5-0.5b')?.contextTokens, 4096);
    assert.equal(contextWindowFor('qwen2.5-0.5b', 'local')?.contextTokens, 4096);
  });
});
