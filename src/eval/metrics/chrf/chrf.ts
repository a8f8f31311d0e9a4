/**
 * chrF and chrF++ exactly as sacreBLEU 2.x computes them (`sacrebleu/metrics/chrf.py`): character
 * n-grams over code points with whitespace removed (unless asked to keep it), optional word n-grams
 * after sacreBLEU's punctuation split, the best reference per segment by F-score, corpus statistics
 * summed before the F-score, and sacreBLEU's default effective-order averaging (or the chrF++.py
 * epsilon smoothing on request).
 */
import { pyLen, pySplit } from '../python-string.js';

export interface ChrfOptions {
  /** Character n-gram order, default 6. */
  charOrder?: number;
  /** Word n-gram order: 0 for chrF (default), 2 for chrF++. */
  wordOrder?: number;
  /** Recall weight, default 2. */
  beta?: number;
  lowercase?: boolean;
  /** Keep whitespace inside character n-grams (sacreBLEU `--chrf-whitespace`). */
  whitespace?: boolean;
  /** chrF++.py / NLTK / Moses epsilon smoothing instead of sacreBLEU's effective order. */
  epsSmoothing?: boolean;
}

export interface ChrfScore {
  /** 0–100. */
  score: number;
  /** `chrF2`, `chrF2++`, … as sacreBLEU names the variant. */
  name: string;
  charOrder: number;
  wordOrder: number;
  beta: number;
}

// string.punctuation, which sacreBLEU's chrF++ word splitter peels off word edges.
const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

type Counter = Map<string, number>;

function countNgrams(items: readonly string[], n: number, joiner: string): Counter {
  const counts: Counter = new Map();
  for (let i = 0; i + n <= items.length; i++) {
    const key = items.slice(i, i + n).join(joiner);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** sacreBLEU's `_remove_punctuation`: one leading or trailing punctuation mark becomes its own word. */
function splitPunctuation(sentence: string): string[] {
  const words: string[] = [];
  for (const word of pySplit(sentence)) {
    if (pyLen(word) === 1) words.push(word);
    else if (PUNCTUATION.has(word.at(-1)!)) words.push(word.slice(0, -1), word.at(-1)!);
    else if (PUNCTUATION.has(word[0]!)) words.push(word[0]!, word.slice(1));
    else words.push(word);
  }
  return words;
}

function extractNgrams(sentence: string, options: Required<ChrfOptions>): Counter[] {
  const text = options.lowercase ? sentence.toLowerCase() : sentence;
  const chars = Array.from(options.whitespace ? text : pySplit(text).join(''));
  const counters: Counter[] = [];
  for (let n = 1; n <= options.charOrder; n++) counters.push(countNgrams(chars, n, ''));
  if (options.wordOrder > 0) {
    const words = splitPunctuation(text);
    for (let n = 1; n <= options.wordOrder; n++) counters.push(countNgrams(words, n, ' '));
  }
  return counters;
}

/** `[hyp, ref, match]` per order, as `_get_match_statistics` returns them. */
function matchStatistics(hyp: readonly Counter[], ref: readonly Counter[]): number[] {
  const stats: number[] = [];
  hyp.forEach((hypCounts, order) => {
    const refCounts = ref[order]!;
    let matches = 0;
    let hypCount = 0;
    for (const [ngram, count] of hypCounts) {
      hypCount += count;
      const refCount = refCounts.get(ngram);
      if (refCount !== undefined) matches += Math.min(count, refCount);
    }
    let refTotal = 0;
    for (const count of refCounts.values()) refTotal += count;
    // An order with no reference n-gram does not count the hypothesis's n-grams either.
    stats.push(refCounts.size > 0 ? hypCount : 0, refTotal, matches);
  });
  return stats;
}

/** sacreBLEU's `_compute_f_score` over summed statistics. */
function fScore(stats: readonly number[], options: Required<ChrfOptions>): number {
  const eps = 1e-16;
  const factor = options.beta ** 2;
  const order = options.charOrder + options.wordOrder;
  let score = 0;
  let effectiveOrder = 0;
  let avgPrec = 0;
  let avgRec = 0;
  for (let i = 0; i < order; i++) {
    const nHyp = stats[3 * i]!;
    const nRef = stats[3 * i + 1]!;
    const nMatch = stats[3 * i + 2]!;
    const prec = nHyp > 0 ? nMatch / nHyp : eps;
    const rec = nRef > 0 ? nMatch / nRef : eps;
    const denom = factor * prec + rec;
    score += denom > 0 ? ((1 + factor) * prec * rec) / denom : eps;
    if (nHyp > 0 && nRef > 0) {
      avgPrec += prec;
      avgRec += rec;
      effectiveOrder += 1;
    }
  }
  if (options.epsSmoothing) return (100 * score) / order;
  if (effectiveOrder === 0) {
    avgPrec = 0;
    avgRec = 0;
  } else {
    avgPrec /= effectiveOrder;
    avgRec /= effectiveOrder;
  }
  if (avgPrec + avgRec) return (100 * ((1 + factor) * avgPrec * avgRec)) / (factor * avgPrec + avgRec);
  return 0;
}

function resolve(options: ChrfOptions): Required<ChrfOptions> {
  return {
    charOrder: options.charOrder ?? 6,
    wordOrder: options.wordOrder ?? 0,
    beta: options.beta ?? 2,
    lowercase: options.lowercase ?? false,
    whitespace: options.whitespace ?? false,
    epsSmoothing: options.epsSmoothing ?? false,
  };
}

function bestStatistics(hypothesis: string, references: readonly string[], o: Required<ChrfOptions>) {
  const hyp = extractNgrams(hypothesis, o);
  let best: number[] = [];
  let bestF = -1;
  for (const reference of references) {
    const stats = matchStatistics(hyp, extractNgrams(reference, o));
    const f = fScore(stats, o);
    if (f > bestF) {
      bestF = f;
      best = stats;
    }
  }
  return best;
}

function toScore(stats: readonly number[], o: Required<ChrfOptions>): ChrfScore {
  return {
    score: fScore(stats, o),
    name: `chrF${o.beta}${'+'.repeat(o.wordOrder)}`,
    charOrder: o.charOrder,
    wordOrder: o.wordOrder,
    beta: o.beta,
  };
}

/**
 * Corpus chrF; `references` is a list of reference streams aligned with `hypotheses`.
 *
 * @example
 * corpusChrf(['a b c'], [['abc']], { beta: 3 }).score   // 100
 * corpusChrf(hyps, [refs], { wordOrder: 2 })           // chrF++
 */
export function corpusChrf(
  hypotheses: readonly string[],
  references: ReadonlyArray<ReadonlyArray<string | null>>,
  options: ChrfOptions = {},
): ChrfScore {
  const o = resolve(options);
  const sums = new Array<number>(3 * (o.charOrder + o.wordOrder)).fill(0);
  hypotheses.forEach((hypothesis, i) => {
    const refs = references.map((stream) => stream[i]).filter((r): r is string => typeof r === 'string');
    const stats = bestStatistics(hypothesis, refs, o);
    stats.forEach((value, k) => {
      sums[k]! += value;
    });
  });
  return toScore(sums, o);
}

/**
 * chrF of one hypothesis against one or more references.
 *
 * @example
 * sentenceChrf('Niemand hat die Absicht', ['Niemand hat die Absicht']).score   // 100
 */
export function sentenceChrf(
  hypothesis: string,
  references: readonly string[],
  options: ChrfOptions = {},
): ChrfScore {
  const o = resolve(options);
  return toScore(bestStatistics(hypothesis, references, o), o);
}
