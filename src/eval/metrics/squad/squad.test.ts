// SQuAD v2.0 scoring. The official evaluate-v2.0.py ships no test cases; the cases here are the
// published examples of the Hugging Face `squad_v2` metric (a wrapper around the official script,
// huggingface/evaluate metrics/squad_v2/README.md) and the script's documented rules, plus a run of
// the official script on the SQuAD v2.0 dev subset in ../shared/data (skipped when it is absent).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { pySplit } from '../python-string.js';
import { evaluateSquadV2, type SquadDataset } from './evaluate-squad-v2.js';
import { normalizeAnswer, squadExact, squadF1, squadScore } from './squad.js';

const dataset = (answers: Record<string, string[]>): SquadDataset => ({
  data: [
    {
      paragraphs: [
        {
          qas: Object.entries(answers).map(([id, texts]) => ({
            id,
            answers: texts.map((text) => ({ text })),
          })),
        },
      ],
    },
  ],
});

describe('Hugging Face squad_v2 examples', () => {
  const best = { best_exact_thresh: 0, best_f1_thresh: 0 };
  it('perfect match', () => {
    const result = evaluateSquadV2(
      dataset({ '56e10a3be3433e1400422b22': ['1976'] }),
      { '56e10a3be3433e1400422b22': '1976' },
      {
        naProbs: { '56e10a3be3433e1400422b22': 0 },
      },
    );
    assert.deepEqual(result, {
      exact: 100,
      f1: 100,
      total: 1,
      HasAns_exact: 100,
      HasAns_f1: 100,
      HasAns_total: 1,
      best_exact: 100,
      best_f1: 100,
      ...best,
    });
  });

  it('no match', () => {
    const result = evaluateSquadV2(dataset({ q: ['1976'] }), { q: '1999' }, { naProbs: { q: 0 } });
    assert.equal(result.exact, 0);
    assert.equal(result.f1, 0);
    assert.equal(result.best_exact, 0);
  });

  it('partial match: 2 of 3 right, "Beyonce" shares no token with "Beyoncé and Bruno Mars"', () => {
    const result = evaluateSquadV2(
      dataset({ a: ['1976'], b: ['Beyoncé and Bruno Mars'], c: ['climate change'] }),
      { a: '1976', b: 'Beyonce', c: 'climate change' },
      { naProbs: { a: 0, b: 0, c: 0 } },
    );
    assert.equal(result.exact, 66.66666666666667);
    assert.equal(result.f1, 66.66666666666667);
    assert.equal(result.HasAns_total, 3);
    assert.equal(result.best_exact, 66.66666666666667);
  });
});

describe('the official normalization and scoring rules', () => {
  it('lowercases, drops ASCII punctuation and articles, collapses whitespace', () => {
    assert.equal(normalizeAnswer('The  Eiffel-Tower, in "Paris"!'), 'eiffeltower in paris');
    assert.equal(normalizeAnswer('an apple a day'), 'apple day');
    // Python's \b is Unicode-aware: the "the" inside "éthe" is not a word of its own.
    assert.equal(normalizeAnswer('éthe the'), 'éthe');
    // string.punctuation is ASCII: curly quotes stay.
    assert.equal(normalizeAnswer('“Quote”'), '“quote”');
  });

  it('F1 is a token-bag F1 and 1 only when both sides are empty', () => {
    assert.equal(squadF1('the cat sat', 'a cat sat down'), (2 * (2 / 3) * 1) / (2 / 3 + 1));
    assert.equal(squadF1('', ''), 1);
    assert.equal(squadF1('', 'something'), 0);
    assert.equal(squadExact('The Cat', 'cat'), 1);
  });

  it('takes the max over gold answers; no usable gold answer means unanswerable', () => {
    assert.deepEqual(squadScore('in 1976', ['1976', 'in 1976']), { exact: 1, f1: 1, hasAnswer: true });
    assert.deepEqual(squadScore('', []), { exact: 1, f1: 1, hasAnswer: false });
    assert.deepEqual(squadScore('anything', []), { exact: 0, f1: 0, hasAnswer: false });
    // A gold answer that normalizes to nothing ("the") is dropped, leaving "" as the only answer.
    assert.deepEqual(squadScore('', ['the']), { exact: 1, f1: 1, hasAnswer: true });
  });

  it('predicts no answer above the no-answer probability threshold', () => {
    const data = dataset({ a: ['x'], b: [] });
    const result = evaluateSquadV2(
      data,
      { a: 'x', b: 'y' },
      { naProbs: { a: 0.2, b: 0.9 }, naProbThresh: 0.5 },
    );
    assert.equal(result.exact, 100);
    assert.equal(result.NoAns_exact, 100);
  });

  it('refuses to score with missing predictions (the official script dies on a KeyError)', () => {
    assert.throws(() => evaluateSquadV2(dataset({ a: ['x'], b: ['y'] }), { a: 'x' }), /no prediction for 1/);
  });
});

const SHARED = new URL(
  '../../../../../shared/data/squad-v2-dev-subset/dev-v2.0.5articles.json',
  import.meta.url,
);

describe('official script on the SQuAD v2.0 dev subset', {
  skip: !existsSync(SHARED) && '../shared/data absent',
}, () => {
  // Predictions: the 3 words of the context starting at the question's index, "" for every third
  // question; no-answer probability (index mod 5) / 4. Expected values printed by evaluate-v2.0.py.
  it('reproduces evaluate-v2.0.py with and without --na-prob-file', () => {
    type WithContext = {
      data: Array<{ paragraphs: Array<{ context: string; qas: Array<{ id: string }> }> }>;
    };
    const data = JSON.parse(readFileSync(SHARED, 'utf8')) as SquadDataset;
    const predictions: Record<string, string> = {};
    const naProbs: Record<string, number> = {};
    for (const article of (data as unknown as WithContext).data) {
      for (const paragraph of article.paragraphs) {
        const words = pySplit(paragraph.context);
        paragraph.qas.forEach((qa, i) => {
          predictions[qa.id] = i % 3 ? words.slice(i, i + 3).join(' ') : '';
          naProbs[qa.id] = (i % 5) / 4;
        });
      }
    }
    assert.deepEqual(evaluateSquadV2(data, predictions), {
      exact: 17.412935323383085,
      f1: 18.680886948477568,
      total: 1407,
      HasAns_exact: 0.14184397163120568,
      HasAns_f1: 2.672351682989981,
      HasAns_total: 705,
      NoAns_exact: 34.75783475783476,
      NoAns_f1: 34.75783475783476,
      NoAns_total: 702,
    });
    assert.deepEqual(evaluateSquadV2(data, predictions, { naProbs, naProbThresh: 0.6 }), {
      exact: 28.855721393034827,
      f1: 29.963194232917044,
      total: 1407,
      HasAns_exact: 0.14184397163120568,
      HasAns_f1: 2.3520770010131717,
      HasAns_total: 705,
      NoAns_exact: 57.69230769230769,
      NoAns_f1: 57.69230769230769,
      NoAns_total: 702,
      best_exact: 49.89339019189765,
      best_exact_thresh: 0,
      best_f1: 49.89339019189765,
      best_f1_thresh: 0,
    });
  });
});
