import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encodingForModel, encodingTokenizer } from './encodings.js';

describe('encodingForModel', () => {
  test('o200k_base for gpt-4o, gpt-4.1, gpt-5 and the o-series, in any spelling', () => {
    for (const model of [
      'gpt-4o',
      'gpt-4o-mini-2024-07-18',
      'gpt-4.1-nano',
      'gpt-5',
      'o1',
      'o3-mini',
      'o4-mini',
      'openai/gpt-4o',
      'openai:gpt-5-mini',
    ]) {
      assert.equal(encodingForModel(model), 'o200k_base', model);
    }
  });

  test('cl100k_base for gpt-4, gpt-3.5 and the embedding models', () => {
    for (const model of [
      'gpt-4',
      'gpt-4-0613',
      'gpt-4-turbo',
      'gpt-3.5-turbo',
      'gpt-35-turbo',
      'text-embedding-3-small',
      'text-embedding-ada-002',
    ]) {
      assert.equal(encodingForModel(model), 'cl100k_base', model);
    }
  });

  test('no OpenAI encoding for other vendors’ models', () => {
    for (const model of ['claude-sonnet-4-5', 'gemini-2.5-pro', 'llama-3.3-70b-versatile', 'o1x', 'gpt-4x']) {
      assert.equal(encodingForModel(model), undefined, model);
    }
  });
});

describe('encodingTokenizer', () => {
  test('"hello world" has the ids tiktoken gives in both encodings', () => {
    assert.deepEqual(encodingTokenizer('o200k_base').encode('hello world'), [24912, 2375]);
    assert.deepEqual(encodingTokenizer('cl100k_base').encode('hello world'), [15339, 1917]);
  });

  test('round-trips text, including non-Latin scripts and emoji', () => {
    const tokenizer = encodingTokenizer('o200k_base');
    const text = 'héllo 👋 世界 — お誕生日おめでとう';
    assert.equal(tokenizer.decode(tokenizer.encode(text)), text);
  });

  test('treats special-token text in user content as plain text instead of throwing', () => {
    const tokenizer = encodingTokenizer('o200k_base');
    assert.ok(tokenizer.count('a <|endoftext|> b') > 3);
  });
});
