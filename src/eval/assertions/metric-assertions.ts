/**
 * The reference-exact text metrics as assertions: sentence BLEU and chrF as sacreBLEU computes
 * them, ROUGE as rouge-score, SQuAD exact match and F1 as the official v2.0 script. `value` is the
 * reference (or a list of references). Thresholds use each metric's own scale — BLEU and chrF 0–100
 * as sacreBLEU prints them, ROUGE and SQuAD F1 0–1, SQuAD EM 0 or 1 — while the score is 0–1.
 */
import { sentenceBleu } from '../metrics/bleu/bleu.js';
import { isBleuTokenizerName } from '../metrics/bleu/tokenizers.js';
import { sentenceChrf } from '../metrics/chrf/chrf.js';
import { type RougeType, rougeScoreMulti } from '../metrics/rouge/rouge.js';
import { squadScore } from '../metrics/squad/squad.js';
import type { AssertionHandler, AssertionSpec } from './assertion-types.js';
import { AssertionConfigError, stringList } from './assertion-values.js';

const SMOOTH_METHODS = ['exp', 'floor', 'add-k', 'none'] as const;

const format = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(n >= 10 ? 2 : 4));

function verdict(value: number, threshold: number, scale: number, name: string) {
  const pass = value >= threshold;
  return {
    pass,
    score: value / scale,
    value,
    reason: `${name} ${format(value)} ${pass ? '≥' : '<'} ${format(threshold)}`,
  };
}

export const bleu: AssertionHandler = (spec, { output }) => {
  if (spec.tokenize !== undefined && !isBleuTokenizerName(spec.tokenize))
    throw new AssertionConfigError(`bleu: unknown tokenize "${spec.tokenize}" (13a, none, intl, char, zh)`);
  if (spec.smooth_method !== undefined && !SMOOTH_METHODS.includes(spec.smooth_method))
    throw new AssertionConfigError(`bleu: unknown smooth_method "${spec.smooth_method}"`);
  const score = sentenceBleu(output, stringList(spec), {
    ...(spec.tokenize ? { tokenize: spec.tokenize } : {}),
    ...(spec.smooth_method ? { smoothMethod: spec.smooth_method } : {}),
    lowercase: Boolean(spec.lowercase ?? spec.case_insensitive),
  });
  return {
    ...verdict(score.score, spec.threshold ?? 50, 100, 'BLEU'),
    details: { precisions: score.precisions, bp: score.bp },
  };
};

export const chrf: AssertionHandler = (spec, { output }) => {
  const score = sentenceChrf(output, stringList(spec), {
    ...(spec.word_order !== undefined ? { wordOrder: spec.word_order } : {}),
    lowercase: Boolean(spec.lowercase ?? spec.case_insensitive),
  });
  return verdict(score.score, spec.threshold ?? 50, 100, score.name);
};

function rouge(typeOf: (spec: AssertionSpec) => RougeType): AssertionHandler {
  return (spec, { output }) => {
    const type = typeOf(spec);
    const measure = spec.measure ?? 'fmeasure';
    const scores = rougeScoreMulti(stringList(spec), output, {
      rougeTypes: [type],
      useStemmer: Boolean(spec.use_stemmer),
    })[type]!;
    return { ...verdict(scores[measure], spec.threshold ?? 0.5, 1, `${type} ${measure}`), details: scores };
  };
}

export const rougeN = rouge((spec) => {
  const n = spec.n ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > 9) throw new AssertionConfigError('rouge-n: n must be 1 to 9');
  return `rouge${n}` as RougeType;
});
export const rougeL = rouge(() => 'rougeL');
export const rougeLsum = rouge(() => 'rougeLsum');

export const squadEm: AssertionHandler = (spec, { output }) => {
  const { exact } = squadScore(output, stringList(spec));
  return verdict(exact, spec.threshold ?? 1, 1, 'SQuAD exact match');
};

export const squadF1: AssertionHandler = (spec, { output }) => {
  const { f1 } = squadScore(output, stringList(spec));
  return verdict(f1, spec.threshold ?? 0.5, 1, 'SQuAD F1');
};
