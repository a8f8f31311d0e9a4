import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pricesFromConfig, pricingConfigSchema } from './pricing-config.js';

describe('pricingConfigSchema', () => {
  test('reads the snake_case YAML shape into ModelPrice entries', () => {
    const config = pricingConfigSchema.parse({
      'gpt-4o-mini': { input: 0.15, output: 0.6, cached_input: 0.075 },
      'claude-sonnet-4-5': { input: 3, output: 15, cached_input: 0.3, cache_write: 3.75 },
    });
    assert.deepEqual(pricesFromConfig(config), {
      'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 },
      'claude-sonnet-4-5': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
    });
  });

  test('rejects negative prices, missing output and misspelled fields', () => {
    assert.equal(pricingConfigSchema.safeParse({ m: { input: -1, output: 1 } }).success, false);
    assert.equal(pricingConfigSchema.safeParse({ m: { input: 1 } }).success, false);
    assert.equal(
      pricingConfigSchema.safeParse({ m: { input: 1, output: 1, cachedInput: 1 } }).success,
      false,
    );
  });
});
