import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { levenshteinDistance } from './levenshtein.js';
import { runAssertion } from './run-assertions.js';
import { assertionInput } from './test-support/assertion-input.js';

describe('levenshtein', () => {
  test('textbook distances', () => {
    assert.equal(levenshteinDistance('kitten', 'sitting'), 3);
    assert.equal(levenshteinDistance('flaw', 'lawn'), 2);
    assert.equal(levenshteinDistance('', 'abc'), 3);
    assert.equal(levenshteinDistance('same', 'same'), 0);
    assert.equal(levenshteinDistance('gumbo', 'gambol'), 2);
  });

  test('counts code points: an emoji is one edit', () => {
    assert.equal(levenshteinDistance('a😀b', 'ab'), 1);
    assert.equal(levenshteinDistance('😀', '😁'), 1);
  });

  test('passes within the threshold (default 5) against the closest reference', async () => {
    const near = await runAssertion({ type: 'levenshtein', value: 'sitting' }, assertionInput('kitten'));
    assert.deepEqual([near.pass, near.value], [true, 3]);
    assert.ok(Math.abs(near.score - (1 - 3 / 7)) < 1e-12);
    const strict = await runAssertion(
      { type: 'levenshtein', value: 'sitting', threshold: 2 },
      assertionInput('kitten'),
    );
    assert.equal(strict.pass, false);
    const multi = await runAssertion(
      { type: 'levenshtein', value: ['zzzzzz', 'kitten!'], threshold: 1 },
      assertionInput('kitten'),
    );
    assert.deepEqual([multi.pass, multi.value], [true, 1]);
  });
});
