import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { countTokens } from './count-tokens.js';
import { registerTokenizer, resetTokenizers, type Tokenizer, tokenizerFor } from './tokenizer.js';

afterEach(() => resetTokenizers());

// One id per UTF-16 unit: a stand-in for an engine's own vocabulary.
const charTokenizer: Tokenizer = {
  name: 'chars',
  exact: true,
  encode: (text) => [...text].map((c) => c.codePointAt(0)!),
  decode: (ids) => String.fromCodePoint(...ids),
  count: (text) => [...text].length,
};

describe('countTokens', () => {
  test('exact counts for OpenAI models', () => {
    assert.deepEqual(countTokens('hello world', { model: 'gpt-4o' }), {
      tokens: 2,
      exact: true,
      tokenizer: 'o200k_base',
    });
    assert.deepEqual(countTokens('hello world', { model: 'gpt-4' }), {
      tokens: 2,
      exact: true,
      tokenizer: 'cl100k_base',
    });
    // The encodings differ on Japanese: 9 tokens in cl100k_base, 8 in o200k_base (tiktoken cookbook).
    assert.equal(countTokens('お誕生日おめでとう', { encoding: 'cl100k_base' }).tokens, 9);
    assert.equal(countTokens('お誕生日おめでとう', { encoding: 'o200k_base' }).tokens, 8);
  });

  test('without a model, counts in o200k_base', () => {
    assert.deepEqual(countTokens('hello world'), { tokens: 2, exact: true, tokenizer: 'o200k_base' });
    assert.equal(countTokens('').tokens, 0);
  });

  test('other vendors get an o200k_base estimate, marked as not exact and erring high', () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(20);
    const base = countTokens(text, { encoding: 'o200k_base' }).tokens;
    const claude = countTokens(text, { model: 'claude-sonnet-4-5' });
    const gemini = countTokens(text, { model: 'gemini-2.5-flash' });
    assert.equal(claude.exact, false);
    assert.equal(claude.tokens, Math.ceil(base * 1.25));
    assert.equal(gemini.tokens, Math.ceil(base * 1.1));
    assert.match(gemini.tokenizer, /estimate/);
  });

  test('an explicit encoding wins over the model', () => {
    assert.equal(
      countTokens('hello world', { model: 'claude-3-5-haiku', encoding: 'cl100k_base' }).exact,
      true,
    );
  });
});

describe('registerTokenizer', () => {
  test('a registered tokenizer counts its models exactly, by id or prefix, with or without provider', () => {
    registerTokenizer('qwen2.5', charTokenizer);
    assert.deepEqual(countTokens('hello', { model: 'local:qwen2.5-0.5b-instruct' }), {
      tokens: 5,
      exact: true,
      tokenizer: 'chars',
    });
    assert.equal(tokenizerFor('QWEN2.5-7b'), charTokenizer);
    assert.notEqual(tokenizerFor('qwen3-8b'), charTokenizer);
  });

  test('the longest registered prefix wins and it can override an OpenAI encoding', () => {
    const other: Tokenizer = { ...charTokenizer, name: 'other', count: () => 42 };
    registerTokenizer('gpt', charTokenizer);
    registerTokenizer('gpt-4o', other);
    assert.equal(countTokens('hi', { model: 'gpt-4o-mini' }).tokens, 42);
    assert.equal(countTokens('hi', { model: 'gpt-4' }).tokens, 2);
  });
});
