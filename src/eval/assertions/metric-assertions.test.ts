// The metrics themselves are tested against their reference implementations in src/eval/metrics;
// these tests check the assertion layer: references, scales, thresholds and options.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sentenceBleu } from '../metrics/bleu/bleu.js';
import { sentenceChrf } from '../metrics/chrf/chrf.js';
import { runAssertion } from './run-assertions.js';
import { assertionInput } from './test-support/assertion-input.js';

const hypothesis = 'The cat sat on the mat near the door.';
const references = ['The cat sat on the mat by the door.', 'A cat was sitting on the mat.'];

describe('text metric assertions', () => {
  test('bleu: sacreBLEU sentence BLEU on its 0–100 scale, score 0–1', async () => {
    const expected = sentenceBleu(hypothesis, references).score;
    const result = await runAssertion(
      { type: 'bleu', value: references, threshold: 30 },
      assertionInput(hypothesis),
    );
    assert.equal(result.value, expected);
    assert.equal(result.score, expected / 100);
    assert.equal(result.pass, expected >= 30);
    const exact = await runAssertion({ type: 'bleu', value: hypothesis }, assertionInput(hypothesis));
    // sacreBLEU's own arithmetic gives 100.00000000000004 here too (exp of a sum of logs).
    assert.ok(Math.abs(exact.value! - 100) < 1e-9);
    assert.deepEqual([exact.score, exact.pass], [1, true]);
  });

  test('bleu options reach sacreBLEU; an unknown tokenizer is an assertion error', async () => {
    const lower = await runAssertion(
      { type: 'bleu', value: 'THE CAT', lowercase: true },
      assertionInput('the cat'),
    );
    assert.equal(lower.value, sentenceBleu('the cat', ['THE CAT'], { lowercase: true }).score);
    assert.match(
      (await runAssertion({ type: 'bleu', value: 'x', tokenize: 'moses' }, assertionInput('x'))).error ?? '',
      /unknown tokenize/,
    );
  });

  test('chrf and chrF++ (word_order 2)', async () => {
    const plain = await runAssertion({ type: 'chrf', value: references }, assertionInput(hypothesis));
    assert.equal(plain.value, sentenceChrf(hypothesis, references).score);
    const plus = await runAssertion(
      { type: 'chrf', value: references, word_order: 2 },
      assertionInput(hypothesis),
    );
    assert.equal(plus.value, sentenceChrf(hypothesis, references, { wordOrder: 2 }).score);
    assert.match(plus.reason, /^chrF2\+\+ /);
  });

  test('rouge-n / rouge-l / rouge-lsum as rouge-score (its own docstring example)', async () => {
    const r2 = await runAssertion(
      { type: 'rouge-n', n: 2, value: 'testing one two' },
      assertionInput('testing one'),
    );
    assert.ok(Math.abs(r2.value! - 2 / 3) < 1e-12);
    assert.equal(r2.pass, true);
    const recall = await runAssertion(
      { type: 'rouge-n', n: 2, value: 'testing one two', measure: 'recall', threshold: 0.6 },
      assertionInput('testing one'),
    );
    assert.deepEqual([recall.value, recall.pass], [0.5, false]);
    const l = await runAssertion(
      { type: 'rouge-l', value: 'the cat sat on the mat' },
      assertionInput('the cat on the mat'),
    );
    assert.ok(Math.abs(l.value! - (2 * 1 * (5 / 6)) / (1 + 5 / 6)) < 1e-12);
    const lsum = await runAssertion({ type: 'rouge-lsum', value: 'a b\nc d' }, assertionInput('c d\na b'));
    assert.equal(lsum.value, 1);
  });

  test('squad-em and squad-f1 with the official normalization', async () => {
    const em = await runAssertion(
      { type: 'squad-em', value: ['Denver Broncos', 'Broncos'] },
      assertionInput('the Broncos!'),
    );
    assert.deepEqual([em.value, em.pass], [1, true]);
    const f1 = await runAssertion(
      { type: 'squad-f1', value: 'Denver Broncos', threshold: 0.7 },
      assertionInput('Broncos of Denver'),
    );
    assert.ok(Math.abs(f1.value! - 0.8) < 1e-12);
    assert.equal(f1.pass, true);
  });
});
