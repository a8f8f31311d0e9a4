// BLEU cases from sacreBLEU's own test suite (mjpost/sacrebleu, test/test_bleu.py and
// test/test_sentence_bleu.py at f615c72), with their tolerances: 1e-8 and 1e-3 respectively.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBleuScore } from '../format-score.js';
import { computeBleu, corpusBleu, sentenceBleu } from './bleu.js';

const close = (actual: number, expected: number, epsilon: number) =>
  assert.ok(Math.abs(actual - expected) < epsilon, `expected ${expected}, got ${actual}`);

// sacreBLEU's `raw_corpus_bleu`: no tokenization, floor smoothing, effective order.
const rawCorpusBleu = (hyps: string[], refs: string[][], smoothValue?: number) =>
  corpusBleu(hyps, refs, { tokenize: 'none', smoothMethod: 'floor', smoothValue, effectiveOrder: true });

const refs = [
  ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
  ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
];
const hyps = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];

describe('corpusBleu (test_bleu.py)', () => {
  it('test_raw_bleu', () => {
    close(rawCorpusBleu(['this is a test', 'another test'], [['ref1', 'ref2']], 0.01).score / 100, 0, 1e-8);
    close(rawCorpusBleu(['this is a test'], [['this is a test']], 0.01).score / 100, 1, 1e-8);
    close(rawCorpusBleu(['this is a fest'], [['this is a test']], 0.01).score / 100, 0.223606797749979, 1e-8);
  });

  it('test_corpus_bleu: default, empty hypotheses kept, each tokenizer, no smoothing', () => {
    close(corpusBleu(hyps, refs).score, 48.530827, 1e-8);
    close(corpusBleu(['', '', ''], refs).score, 0, 1e-8);
    close(corpusBleu(hyps, refs, { tokenize: 'none' }).score, 49.1919566, 1e-8);
    close(corpusBleu(hyps, refs, { tokenize: '13a' }).score, 48.530827, 1e-8);
    close(corpusBleu(hyps, refs, { tokenize: 'intl' }).score, 43.91623493, 1e-8);
    close(corpusBleu(hyps, refs, { smoothMethod: 'none' }).score, 48.530827, 1e-8);
  });

  it('test_effective_order', () => {
    close(rawCorpusBleu(['test'], [['a test']], 0.01).score / 100, 0.3678794411714425, 1e-8);
    close(rawCorpusBleu(['a test'], [['a test']], 0.01).score / 100, 1, 1e-8);
    close(rawCorpusBleu(['a little test'], [['a test']], 0.01).score / 100, 0.03218297948685433, 1e-8);
  });

  it('test_statistics', () => {
    const score = rawCorpusBleu(
      ['am I am a character sequence'],
      [['I am a symbol string sequence a a']],
      0.01,
    );
    assert.deepEqual(score.counts, [4, 2, 1, 0]);
    assert.deepEqual(score.totals, [6, 5, 4, 3]);
  });

  it('test_scoring', () => {
    const score = computeBleu({ counts: [9, 7, 5, 3], totals: [10, 8, 6, 4], sysLen: 11, refLen: 11 });
    close(score.score / 100, 0.8375922397, 1e-8);
  });

  it('test_offset: floor smoothing with 0, the 0.1 default, and an omitted value', () => {
    const hyp = ['am I am a character sequence'];
    const ref = [['I am a symbol string sequence a a']];
    close(rawCorpusBleu(hyp, ref, 0).score / 100, 0, 1e-8);
    close(rawCorpusBleu(hyp, ref, undefined).score / 100, 0.1555722182, 1e-8);
    close(rawCorpusBleu(hyp, ref).score / 100, 0.1555722182, 1e-8);
  });

  it('test_degenerate_statistics: floor smoothing on all-zero or missing orders gives exactly 0', () => {
    const cases: Array<[number[], number[], number, number, number]> = [
      [[0, 0, 0, 0], [4, 4, 2, 1], 0, 1, 0],
      [[0, 0, 0, 0], [10, 11, 12, 0], 14, 10, 0],
      [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0],
      [[6, 5, 4, 0], [6, 5, 4, 3], 6, 6, 0],
      [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.1],
      [[0, 0, 0, 0], [0, 0, 0, 0], 1, 5, 0.01],
    ];
    for (const [counts, totals, sysLen, refLen, offset] of cases) {
      const score = computeBleu(
        { counts, totals, sysLen, refLen },
        { smoothMethod: 'floor', smoothValue: offset },
      );
      assert.equal(score.score / 100, 0);
    }
  });

  it('test_max_ngram_order', () => {
    const expected = ['77.65', '60.50', '53.93', '48.53', '46.14', '43.28'];
    expected.forEach((value, i) => {
      assert.equal(corpusBleu(hyps, refs, { maxNgramOrder: i + 1 }).score.toFixed(2), value);
    });
  });
});

describe('sentenceBleu (test_sentence_bleu.py)', () => {
  // sacreBLEU issue #98.
  const REF = 'producţia de zahăr brut se exprimă în zahăr alb;';
  const SYS = 'Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;';
  const cases: Array<[string, number | undefined, boolean, '13a' | 'none' | 'intl' | 'char', number]> = [
    ['exp', undefined, false, '13a', 8.493],
    ['none', undefined, false, '13a', 0.0],
    ['floor', undefined, false, '13a', 4.51688],
    ['floor', 0.1, false, '13a', 4.51688],
    ['floor', 0.5, false, '13a', 10.1],
    ['add-k', undefined, false, '13a', 14.882],
    ['add-k', 1, false, '13a', 14.882],
    ['add-k', 2, false, '13a', 21.389],
    ['exp', undefined, false, 'none', 7.347],
    ['exp', undefined, false, 'intl', 8.493],
    ['exp', undefined, false, 'char', 40.8759],
    ['exp', undefined, true, 'char', 42.0267],
  ];
  for (const [smoothMethod, smoothValue, lowercase, tokenize, expected] of cases) {
    it(`${smoothMethod}${smoothValue === undefined ? '' : `[${smoothValue}]`} tok=${tokenize} lc=${lowercase}`, () => {
      const score = sentenceBleu(SYS, [REF], {
        smoothMethod: smoothMethod as 'exp',
        smoothValue,
        lowercase,
        tokenize,
      });
      close(score.score, expected, 1e-3);
    });
  }

  it('scores 0 with every smoothing when nothing matches (sacreBLEU #141)', () => {
    for (const [smoothMethod, smoothValue] of [
      ['exp'],
      ['none'],
      ['floor'],
      ['floor', 0.1],
      ['add-k'],
      ['add-k', 1],
    ] as const) {
      const score = sentenceBleu('this is a cat', ['okay thanks'], { smoothMethod, smoothValue });
      close(score.score, 0, 1e-3);
    }
  });
});

describe('the score line', () => {
  // Issue 6 quotes `BLEU = 59.46 84.6/66.7/54.5/40.0 (BP = 1.000 … hyp_len = 13 ref_len = 13)`. That
  // line cannot come out of sacreBLEU: with 13 hypothesis tokens the totals are 13/12/11/10, so those
  // precisions are 11/13, 8/12, 6/11, 4/10 and BLEU = 100·(11·8·6·4 / 13·12·11·10)^¼ = 59.23. This
  // pair gives exactly those statistics (verified with sacreBLEU 2.5.1): a detokenized hypothesis
  // against a tokenized reference, which 13a tokenization reconciles. promptfoo's whitespace BLEU
  // gives 0.000244 on it (its trigram and 4-gram precisions are 0) — the kind of gap issue 6 means.
  const hypothesis = 'After the storm, the old bridge was closed to all traffic.';
  const reference = 'After the storm , the old road was shut to all traffic .';

  it('prints sacreBLEU’s line for the pair', () => {
    assert.equal(
      formatBleuScore(corpusBleu([hypothesis], [[reference]])),
      'BLEU = 59.23 84.6/66.7/54.5/40.0 (BP = 1.000 ratio = 1.000 hyp_len = 13 ref_len = 13)',
    );
    close(sentenceBleu(hypothesis, [reference]).score, 59.230330720232516, 1e-9);
  });

  it('the quoted 59.46 is not reachable with those precisions', () => {
    const score = computeBleu({ counts: [11, 8, 6, 4], totals: [13, 12, 11, 10], sysLen: 13, refLen: 13 });
    assert.equal(score.score.toFixed(2), '59.23');
  });

  it('rounds ties in the line as Python does', () => {
    const score = computeBleu({ counts: [49, 0, 0, 0], totals: [400, 0, 0, 0], sysLen: 400, refLen: 400 });
    assert.equal(score.precisions[0], 12.25);
    assert.match(formatBleuScore(score), / 12\.2\/0\.0\/0\.0\/0\.0 /);
  });

  it('uses the shortest of equally close reference lengths and the max count over references', () => {
    const score = corpusBleu(['a a a b'], [['a b c d e'], ['a a b']]);
    assert.equal(score.refLen, 3);
    assert.equal(score.counts[0], 3);
  });
});
