/**
 * ROUGE-N, ROUGE-L and ROUGE-Lsum as Google's `rouge-score` package computes them
 * (`rouge_score/rouge_scorer.py`, version 0.1.2): its tokenizer and optional NLTK Porter stemming,
 * n-gram overlap with precision over max(prediction n-grams, 1), LCS for ROUGE-L, summary-level
 * union LCS over newline-separated sentences for ROUGE-Lsum, and `score_multi`'s per-type choice of
 * the reference with the highest F-measure.
 */
import { lcsLength, summaryLevelLcsHits } from './lcs.js';
import { tokenizeRouge } from './tokenize-rouge.js';

/** `rouge1` … `rouge9`, `rougeL`, `rougeLsum`. */
export type RougeType = `rouge${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9}` | 'rougeL' | 'rougeLsum';

export interface RougeScore {
  precision: number;
  recall: number;
  fmeasure: number;
}

export interface RougeOptions {
  /** Default `['rouge1', 'rouge2', 'rougeL', 'rougeLsum']`. */
  rougeTypes?: readonly string[];
  useStemmer?: boolean;
}

export const DEFAULT_ROUGE_TYPES: readonly RougeType[] = ['rouge1', 'rouge2', 'rougeL', 'rougeLsum'];

/** Throws the way rouge-score does for `rouge0`, `rouge10`, `rougen`. */
export function assertRougeType(type: string): asserts type is RougeType {
  if (type === 'rougeL' || type === 'rougeLsum') return;
  if (!/^rouge[0-9]$/.test(type)) throw new Error(`Invalid rouge type: ${type}`);
  if (type === 'rouge0') throw new Error(`rougen requires positive n: ${type}`);
}

function fmeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function scoreNgrams(target: readonly string[], prediction: readonly string[], n: number): RougeScore {
  const targetCounts = ngramCounts(target, n);
  const predictionCounts = ngramCounts(prediction, n);
  let overlap = 0;
  let targetTotal = 0;
  let predictionTotal = 0;
  for (const [ngram, count] of targetCounts) {
    overlap += Math.min(count, predictionCounts.get(ngram) ?? 0);
    targetTotal += count;
  }
  for (const count of predictionCounts.values()) predictionTotal += count;
  const precision = overlap / Math.max(predictionTotal, 1);
  const recall = overlap / Math.max(targetTotal, 1);
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

function scoreLcs(target: readonly string[], prediction: readonly string[]): RougeScore {
  if (target.length === 0 || prediction.length === 0) return { precision: 0, recall: 0, fmeasure: 0 };
  const lcs = lcsLength(target, prediction);
  const precision = lcs / prediction.length;
  const recall = lcs / target.length;
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

function scoreSummaryLevelLcs(
  target: ReadonlyArray<readonly string[]>,
  prediction: ReadonlyArray<readonly string[]>,
): RougeScore {
  const m = target.reduce((sum, s) => sum + s.length, 0);
  const n = prediction.reduce((sum, s) => sum + s.length, 0);
  if (m === 0 || n === 0) return { precision: 0, recall: 0, fmeasure: 0 };
  const hits = summaryLevelLcsHits(target, prediction);
  const precision = hits / n;
  const recall = hits / m;
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

/** rougeLsum's sentences: split on "\n" only, empty lines dropped (`split_summaries=False`). */
function sentences(text: string): string[] {
  return text.split('\n').filter((line) => line.length > 0);
}

/**
 * rouge-score's `RougeScorer(types, use_stemmer).score(target, prediction)`.
 *
 * @example
 * rougeScore('testing one two', 'testing one', { rougeTypes: ['rouge2'] }).rouge2
 * // { precision: 1, recall: 0.5, fmeasure: 0.6666666666666666 }
 */
export function rougeScore(
  target: string,
  prediction: string,
  options: RougeOptions = {},
): Record<string, RougeScore> {
  const types = options.rougeTypes ?? DEFAULT_ROUGE_TYPES;
  types.forEach(assertRougeType);
  const tokenize = (text: string) => tokenizeRouge(text, { useStemmer: options.useStemmer ?? false });
  let tokens: { target: string[]; prediction: string[] } | undefined;
  const whole = () => {
    tokens ??= { target: tokenize(target), prediction: tokenize(prediction) };
    return tokens;
  };
  const result: Record<string, RougeScore> = {};
  for (const type of types) {
    if (type === 'rougeL') {
      result[type] = scoreLcs(whole().target, whole().prediction);
    } else if (type === 'rougeLsum') {
      result[type] = scoreSummaryLevelLcs(
        sentences(target).map(tokenize),
        sentences(prediction).map(tokenize),
      );
    } else {
      result[type] = scoreNgrams(whole().target, whole().prediction, Number(type.slice(5)));
    }
  }
  return result;
}

/**
 * rouge-score's `score_multi`: for each type, the score against the target with the highest
 * F-measure (the first such target on a tie, as `np.argmax` picks).
 *
 * @example
 * rougeScoreMulti(['first text', 'first something'], 'text first', { rougeTypes: ['rouge1'] })
 */
export function rougeScoreMulti(
  targets: readonly string[],
  prediction: string,
  options: RougeOptions = {},
): Record<string, RougeScore> {
  if (targets.length === 0) throw new Error('rougeScoreMulti needs at least one target');
  const perTarget = targets.map((target) => rougeScore(target, prediction, options));
  const best: Record<string, RougeScore> = {};
  for (const type of options.rougeTypes ?? DEFAULT_ROUGE_TYPES) {
    let bestIndex = 0;
    perTarget.forEach((scores, i) => {
      if (scores[type]!.fmeasure > perTarget[bestIndex]![type]!.fmeasure) bestIndex = i;
    });
    best[type] = perTarget[bestIndex]![type]!;
  }
  return best;
}
