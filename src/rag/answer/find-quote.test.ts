import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findQuote } from './find-quote.js';

const source =
  'Parents receive 16 weeks of fully paid parental leave after the birth or adoption of a child. The\nleave can be split into at most two blocks — never three.';

describe('findQuote', () => {
  test('an exact quote returns its offsets', () => {
    const match = findQuote(source, '16 weeks of fully paid parental leave');
    assert.deepEqual(match, { start: 16, end: 53, kind: 'exact' });
  });

  test('case, line breaks, curly quotes and dash style are folded; the span is the source text', () => {
    const match = findQuote(source, '“The leave can be split into at most two blocks - never three.”');
    assert.equal(match?.kind, 'normalized');
    assert.equal(
      source.slice(match!.start, match!.end),
      'The\nleave can be split into at most two blocks — never three.',
    );
  });

  test('an ellipsis skips the middle; punctuation differences are tolerated', () => {
    const match = findQuote(source, 'Parents receive 16 weeks ... birth or adoption of a child');
    assert.equal(
      source.slice(match!.start, match!.end),
      'Parents receive 16 weeks of fully paid parental leave after the birth or adoption of a child',
    );
    assert.ok(findQuote(source, 'split into at most two blocks, never three'));
  });

  test('a quote that is not in the source, or too short to prove anything, does not match', () => {
    assert.equal(findQuote(source, 'Parents receive 20 weeks of paid leave'), null);
    assert.equal(findQuote(source, 'the'), null);
    assert.equal(findQuote(source, 'three blocks ... two blocks'), null);
  });
});
