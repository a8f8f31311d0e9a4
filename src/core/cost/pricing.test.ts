import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Usage } from '../chat-event.js';
import { ConduitError } from '../errors.js';
import { computeCost, costFor, lookupPrice, registerPrices, resetPrices } from './pricing.js';

afterEach(() => resetPrices());

const usage = (promptTokens: number, completionTokens: number, extra: Partial<Usage> = {}): Usage => ({
  promptTokens,
  completionTokens,
  totalTokens: promptTokens + completionTokens,
  ...extra,
});

describe('lookupPrice', () => {
  test('dated snapshots resolve to their family', () => {
    assert.deepEqual(lookupPrice('gpt-4o-mini-2024-07-18'), lookupPrice('gpt-4o-mini'));
    assert.deepEqual(lookupPrice('claude-3-5-sonnet-20241022'), lookupPrice('claude-3-5-sonnet'));
    assert.deepEqual(lookupPrice('models/gemini-2.0-flash-001'), lookupPrice('gemini-2.0-flash'));
    assert.deepEqual(lookupPrice('claude-3-5-sonnet-v2@20241022'), lookupPrice('claude-3-5-sonnet'));
  });

  test('provider/model forms (OpenRouter, Bedrock) resolve to the model', () => {
    assert.deepEqual(lookupPrice('openai/gpt-4o'), lookupPrice('gpt-4o'));
    assert.deepEqual(lookupPrice('anthropic/claude-3.5-haiku'), lookupPrice('claude-3-5-haiku'));
    assert.deepEqual(
      lookupPrice('us.anthropic.claude-sonnet-4-20250514-v1:0'),
      lookupPrice('claude-sonnet-4'),
    );
    assert.deepEqual(lookupPrice('deepseek/deepseek-chat:free'), { input: 0, output: 0 });
  });

  test('the most specific family wins', () => {
    assert.equal(lookupPrice('gpt-4o-mini')?.input, 0.15);
    assert.equal(lookupPrice('gpt-4o')?.input, 2.5);
    assert.equal(lookupPrice('claude-opus-4-1-20250805')?.input, 15);
    assert.equal(lookupPrice('claude-opus-4-5-20251101')?.input, 5);
    assert.equal(lookupPrice('gpt-5-mini-2025-08-07')?.input, 0.25);
  });

  test('a snapshot priced unlike its family keeps its own price', () => {
    assert.deepEqual(lookupPrice('gpt-4o-2024-05-13'), { input: 5, output: 15 });
    assert.equal(lookupPrice('gpt-4o-2024-08-06')?.input, 2.5);
    assert.equal(lookupPrice('mistral-large-2411')?.input, 2);
  });

  test('host-specific prices need the provider', () => {
    assert.equal(lookupPrice('openai/gpt-oss-120b'), undefined);
    assert.deepEqual(lookupPrice('openai/gpt-oss-120b', 'groq'), { input: 0.15, output: 0.6 });
  });

  test('unknown models have no price', () => {
    assert.equal(lookupPrice('my-finetune'), undefined);
    assert.equal(costFor('my-finetune', usage(10, 10)), undefined);
  });
});

describe('registerPrices', () => {
  test('overrides win over built-ins and apply to dated snapshots', () => {
    registerPrices({ 'gpt-4o-mini': { input: 1, output: 2 } });
    assert.deepEqual(lookupPrice('gpt-4o-mini-2024-07-18'), { input: 1, output: 2 });
    assert.equal(lookupPrice('gpt-4o')?.input, 2.5);
  });

  test('adds models the table does not know, including provider-specific ones', () => {
    registerPrices({
      'my-finetune': { input: 3, output: 4 },
      'together/llama-3.3-70b-versatile': { input: 0.88, output: 0.88 },
    });
    assert.deepEqual(lookupPrice('my-finetune'), { input: 3, output: 4 });
    assert.equal(lookupPrice('llama-3.3-70b-versatile', 'together')?.input, 0.88);
    assert.equal(lookupPrice('llama-3.3-70b-versatile', 'groq')?.input, 0.59);
  });

  test('resetPrices restores the built-ins', () => {
    registerPrices({ 'gpt-4o': { input: 0, output: 0 } });
    resetPrices();
    assert.equal(lookupPrice('gpt-4o')?.input, 2.5);
  });

  test('rejects negative or missing prices with a ConduitError naming the field', () => {
    assert.throws(
      () => registerPrices({ x: { input: -1, output: 1 } }),
      (e: unknown) => ConduitError.isInstance(e) && e.code === 'bad_request' && e.param === 'pricing.x.input',
    );
    assert.throws(() => registerPrices({ x: { input: 1 } as never }), /output/);
  });
});

describe('computeCost', () => {
  test('gpt-4o-mini: 1,200 prompt + 300 completion tokens at $0.15/$0.60 per 1M', () => {
    const cost = costFor('gpt-4o-mini', usage(1200, 300));
    assert.deepEqual(cost, { input: 0.00018, cachedInput: 0, output: 0.00018, total: 0.00036 });
  });

  test('cached tokens are part of the prompt and billed at the cached rate', () => {
    // 1,000 prompt of which 800 cached: 200 × 0.15 + 800 × 0.075 = 30 + 60 → $0.00003 + $0.00006
    const cost = costFor('gpt-4o-mini', usage(1000, 0, { cachedTokens: 800 }));
    assert.deepEqual(cost, { input: 0.00003, cachedInput: 0.00006, output: 0, total: 0.00009 });
  });

  test('Anthropic cache writes bill at cacheWrite, reads at cachedInput', () => {
    // claude-sonnet-4-5: 100 uncached × 3 + 1,000 read × 0.3 + 2,000 written × 3.75, 50 out × 15
    const cost = costFor(
      'claude-sonnet-4-5-20250929',
      usage(3100, 50, { cachedTokens: 1000, cacheWriteTokens: 2000 }),
    );
    assert.deepEqual(cost, { input: 0.0003, cachedInput: 0.0078, output: 0.00075, total: 0.00885 });
  });

  test('without a cached rate, cached tokens cost the input rate', () => {
    const cost = computeCost(usage(1000, 0, { cachedTokens: 1000, cacheWriteTokens: 0 }), {
      input: 2,
      output: 4,
    });
    assert.equal(cost.total, 0.002);
  });

  test('reasoning tokens are already inside completionTokens and are not billed twice', () => {
    const cost = costFor('o4-mini', usage(0, 1000, { reasoningTokens: 900 }));
    assert.equal(cost?.output, 0.0044);
  });

  test('inconsistent cache counts never produce a negative charge', () => {
    const cost = computeCost(usage(100, 0, { cachedTokens: 500 }), { input: 1, output: 1, cachedInput: 0.5 });
    assert.equal(cost.input, 0);
    assert.equal(cost.cachedInput, 0.00025);
  });
});
