import assert from 'node:assert/strict';
import { test } from 'node:test';
import { textTerms, uniqueQueryTerms } from './text-terms.js';

test('textTerms lowercases, folds accents and splits on anything but letters and digits', () => {
  assert.deepEqual(textTerms('Café NEAR("x*") -- 2024 Straße'), ['cafe', 'near', 'x', '2024', 'straße']);
  assert.deepEqual(textTerms('  ,.;  '), []);
});

test('uniqueQueryTerms keeps the first occurrence of each term', () => {
  assert.deepEqual(uniqueQueryTerms('Panel panel PANELS panel'), ['panel', 'panels']);
});
