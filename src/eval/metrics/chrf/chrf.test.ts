// chrF cases from sacreBLEU's own test suite (mjpost/sacrebleu, test/test_chrf.py at f615c72), with
// its tolerance of 1e-4. Like the original, most cases use beta = 3.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { corpusChrf, sentenceChrf } from './chrf.js';

const EPSILON = 1e-4;
const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < EPSILON, `expected ${expected}, got ${actual}`);

describe('corpusChrf (test_chrf.py)', () => {
  it('test_chrf: epsilon smoothing, chrF++.py-compatible', () => {
    const cases: Array<[string[], string[], number]> = [
      [['abcdefg'], ['hijklmnop'], 0.0],
      [['a'], ['b'], 0.0],
      [[''], ['b'], 0.0],
      [[''], ['ref'], 0.0],
      [[''], ['reference'], 0.0],
      [['aa'], ['ab'], 8.3333],
      [['a', 'b'], ['a', 'c'], 8.3333],
      [['a'], ['a'], 16.6667],
      [['a b c'], ['a b c'], 50.0],
      [['a b c'], ['abc'], 50.0],
      [
        [
          ' risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .',
        ],
        [
          'risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .',
        ],
        63.36173,
      ],
      [
        [' Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. '],
        ['Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.'],
        64.1302698,
      ],
      [
        ['Niemand hat die Absicht, eine Mauer zu errichten'],
        ['Niemand hat die Absicht, eine Mauer zu errichten'],
        100.0,
      ],
    ];
    for (const [hyps, refs, expected] of cases) {
      close(
        corpusChrf(hyps, [refs], { charOrder: 6, wordOrder: 0, beta: 3, epsSmoothing: true }).score,
        expected,
      );
    }
  });

  it('test_chrf_eff_order: sacreBLEU’s default effective-order smoothing', () => {
    const cases: Array<[string[], string[], number]> = [
      [['a'], ['a'], 100.0],
      [[''], ['reference'], 0.0],
      [['a b c'], ['a b c'], 100.0],
      [['a b c'], ['abc'], 100.0],
      [[''], ['c'], 0.0],
      [['a', 'b'], ['a', 'c'], 50.0],
      [['aa'], ['ab'], 25.0],
    ];
    for (const [hyps, refs, expected] of cases) {
      close(
        corpusChrf(hyps, [refs], { charOrder: 6, wordOrder: 0, beta: 3, epsSmoothing: false }).score,
        expected,
      );
    }
  });

  it('test_chrf_keep_whitespace', () => {
    const cases: Array<[string, string, number]> = [
      [
        'Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.',
        'Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.',
        67.3481606,
      ],
      [
        'risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .',
        'risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .',
        65.2414427,
      ],
    ];
    for (const [hyp, ref, expected] of cases) {
      close(
        corpusChrf([hyp], [[ref]], { charOrder: 6, wordOrder: 0, beta: 3, whitespace: true }).score,
        expected,
      );
    }
  });

  it('test_chrf_sentence_level: defaults (chrF2) with epsilon smoothing', () => {
    const cases: Array<[string, string, number]> = [
      [
        'Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.',
        'Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.',
        39.14078509,
      ],
      [
        'Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.',
        'A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.',
        31.22557079,
      ],
      [
        'Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.',
        'Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.',
        57.15704367,
      ],
    ];
    for (const [hyp, ref, expected] of cases)
      close(sentenceChrf(hyp, [ref], { epsSmoothing: true }).score, expected);
  });
});

describe('chrF++ and multiple references', () => {
  // Pinned from sacreBLEU 2.5.1 (CHRF(word_order=2)), which has no published chrF++ test case.
  it('word order 2 names the metric chrF2++ and adds word n-grams', () => {
    const hyp = 'The cat sat on the mat.';
    const ref = 'The cat is on the mat.';
    const score = sentenceChrf(hyp, [ref], { wordOrder: 2 });
    assert.equal(score.name, 'chrF2++');
    close(score.score, 69.43695278069349);
  });

  it('takes the reference with the best F-score per segment', () => {
    assert.equal(sentenceChrf('abc', ['xyz', 'abc']).score, 100);
  });
});
