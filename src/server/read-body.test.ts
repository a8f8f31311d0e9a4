import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConduitError } from '../core/errors.js';
import { checkJsonDepth, MAX_JSON_DEPTH } from './read-body.js';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('checkJsonDepth', () => {
  test('accepts nesting up to the limit and refuses one level more with a 400 on body', () => {
    checkJsonDepth(nested(MAX_JSON_DEPTH));
    checkJsonDepth(`{"a":${nested(MAX_JSON_DEPTH - 1)}}`);
    assert.throws(
      () => checkJsonDepth(nested(MAX_JSON_DEPTH + 1)),
      (e) => e instanceof ConduitError && e.code === 'bad_request' && e.param === 'body',
    );
    assert.throws(() => checkJsonDepth(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`), /levels deep/);
  });

  test('brackets inside strings, including after escaped quotes, do not count', () => {
    checkJsonDepth(JSON.stringify({ text: '['.repeat(1_000) }));
    checkJsonDepth(JSON.stringify({ text: `a\\"${'{'.repeat(1_000)}\\` }));
    checkJsonDepth(JSON.stringify(['"', '[[[[', '\\', '{{{{']), 2);
  });

  test('siblings do not add up: depth is the deepest path, not the bracket count', () => {
    checkJsonDepth(JSON.stringify(Array.from({ length: 1_000 }, () => [[1]])), 3);
  });
});
