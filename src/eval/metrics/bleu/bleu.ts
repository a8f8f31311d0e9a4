/**
 * BLEU exactly as sacreBLEU 2.x computes it (`sacrebleu/metrics/bleu.py`): the same tokenizers,
 * clipped n-gram counts against the per-n-gram maximum over references, closest reference length
 * (shorter wins a tie), smoothing `exp` / `floor` / `add-k` / `none`, effective order, and the
 * floored logarithm that turns a zero precision into a score of 0.
 */
import { pyRstrip, pySplit } from '../python-string.js';
import { BLEU_TOKENIZERS, type BleuTokenizerName } from './tokenizers.js';

export type BleuSmoothMethod = 'exp' | 'floor' | 'add-k' | 'none';

export interface BleuOptions {
  /** Default `13a`, sacreBLEU's default. */
  tokenize?: BleuTokenizerName;
  /** Default `exp`. */
  smoothMethod?: BleuSmoothMethod;
  /** For `floor` (default 0.1) and `add-k` (default 1); ignored by the others. */
  smoothValue?: number;
  lowercase?: boolean;
  /** Default 4. */
  maxNgramOrder?: number;
  /** Leave out n-gram orders the hypothesis has none of. Off for corpus BLEU, on for sentence BLEU. */
  effectiveOrder?: boolean;
}

export interface BleuScore {
  /** 0–100. */
  score: number;
  /** Matched n-grams per order (with `add-k`, including the added k, as sacreBLEU reports them). */
  counts: number[];
  /** Hypothesis n-grams per order. */
  totals: number[];
  /** Per-order precisions, 0–100. */
  precisions: number[];
  bp: number;
  sysLen: number;
  refLen: number;
  /** `sysLen / refLen`, 0 when there is no reference token. */
  ratio: number;
}

/** sacreBLEU's `SMOOTH_DEFAULTS` (Chen & Cherry 2014). */
export const BLEU_SMOOTH_DEFAULTS: Record<BleuSmoothMethod, number | undefined> = {
  none: undefined,
  floor: 0.1,
  'add-k': 1,
  exp: undefined,
};

/** sacreBLEU's `my_log`: log(0) floors to -9999999999 so one empty order zeroes the score. */
function flooredLog(x: number): number {
  return x === 0 ? -9999999999 : Math.log(x);
}

/**
 * BLEU from sufficient statistics (sacreBLEU's `BLEU.compute_bleu`).
 *
 * @example
 * computeBleu({ counts: [9, 7, 5, 3], totals: [10, 8, 6, 4], sysLen: 11, refLen: 11 }).score
 * // 83.75922397...
 */
export function computeBleu(
  stats: { counts: number[]; totals: number[]; sysLen: number; refLen: number },
  options: Pick<BleuOptions, 'smoothMethod' | 'smoothValue' | 'effectiveOrder' | 'maxNgramOrder'> = {},
): BleuScore {
  const method = options.smoothMethod ?? 'none';
  const smoothValue = options.smoothValue ?? BLEU_SMOOTH_DEFAULTS[method] ?? 0;
  const maxOrder = options.maxNgramOrder ?? 4;
  const counts = [...stats.counts];
  const totals = [...stats.totals];
  const { sysLen, refLen } = stats;

  let bp = 1;
  if (sysLen < refLen) bp = sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0;
  const ratio = refLen ? sysLen / refLen : 0;
  const precisions = new Array<number>(maxOrder).fill(0);
  const result = (score: number): BleuScore => ({
    score,
    counts,
    totals,
    precisions,
    bp,
    sysLen,
    refLen,
    ratio,
  });

  // sacreBLEU #141: no match at any order is a plain 0, whatever the smoothing.
  if (!counts.some((c) => c !== 0)) return result(0);

  let smoothMteval = 1;
  let effOrder = maxOrder;
  for (let n = 1; n <= maxOrder; n++) {
    if (method === 'add-k' && n > 1) {
      counts[n - 1]! += smoothValue;
      totals[n - 1]! += smoothValue;
    }
    if (totals[n - 1] === 0) break;
    if (options.effectiveOrder) effOrder = n;
    if (counts[n - 1] === 0) {
      if (method === 'exp') {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * totals[n - 1]!);
      } else if (method === 'floor') {
        precisions[n - 1] = (100 * smoothValue) / totals[n - 1]!;
      }
    } else {
      precisions[n - 1] = (100 * counts[n - 1]!) / totals[n - 1]!;
    }
  }
  let logSum = 0;
  for (const p of precisions.slice(0, effOrder)) logSum += flooredLog(p);
  return result(bp * Math.exp(logSum / effOrder));
}

/** One segment's statistics: `[sysLen, refLen, ...counts, ...totals]`, as sacreBLEU sums them. */
type SegmentStats = number[];

function ngramCounts(line: string, maxOrder: number): { counts: Map<string, number>; length: number } {
  const tokens = pySplit(line);
  const counts = new Map<string, number>();
  // Tokens never contain a space, so joining with one keeps different n-grams apart.
  for (let n = 1; n <= maxOrder; n++) {
    for (let i = 0; i + n <= tokens.length; i++) {
      const key = tokens.slice(i, i + n).join(' ');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return { counts, length: tokens.length };
}

function closestRefLength(hypLen: number, refLens: number[]): number {
  let closestDiff = -1;
  let closestLen = -1;
  for (const refLen of refLens) {
    const diff = Math.abs(hypLen - refLen);
    if (closestDiff === -1 || diff < closestDiff) {
      closestDiff = diff;
      closestLen = refLen;
    } else if (diff === closestDiff && refLen < closestLen) {
      closestLen = refLen;
    }
  }
  return closestLen;
}

function createPreprocessor(options: BleuOptions): (line: string) => string {
  const tokenize = BLEU_TOKENIZERS[options.tokenize ?? '13a'];
  return (line) => tokenize(pyRstrip(options.lowercase ? line.toLowerCase() : line));
}

function segmentStats(
  hypothesis: string,
  references: readonly string[],
  preprocess: (line: string) => string,
  maxOrder: number,
): SegmentStats {
  const refMax = new Map<string, number>();
  const refLens: number[] = [];
  for (const reference of references) {
    const { counts, length } = ngramCounts(preprocess(reference), maxOrder);
    refLens.push(length);
    for (const [ngram, count] of counts) refMax.set(ngram, Math.max(refMax.get(ngram) ?? 0, count));
  }
  const hyp = ngramCounts(preprocess(hypothesis), maxOrder);
  const correct = new Array<number>(maxOrder).fill(0);
  const total = new Array<number>(maxOrder).fill(0);
  for (const [ngram, count] of hyp.counts) {
    const n = ngram.split(' ').length - 1;
    total[n]! += count;
    const refCount = refMax.get(ngram);
    if (refCount !== undefined) correct[n]! += Math.min(count, refCount);
  }
  return [hyp.length, closestRefLength(hyp.length, refLens), ...correct, ...total];
}

function scoreFromStats(stats: SegmentStats, options: BleuOptions, maxOrder: number): BleuScore {
  return computeBleu(
    {
      sysLen: stats[0]!,
      refLen: stats[1]!,
      counts: stats.slice(2, 2 + maxOrder),
      totals: stats.slice(2 + maxOrder),
    },
    { ...options, smoothMethod: options.smoothMethod ?? 'exp', maxNgramOrder: maxOrder },
  );
}

/**
 * Corpus BLEU. `references` is a list of reference *streams*, each aligned with `hypotheses`
 * (sacreBLEU's layout); a `null` entry leaves that stream out for that segment.
 *
 * @example
 * corpusBleu(['The dog bit the man.'], [['The dog bit the man.']]).score   // 100
 */
export function corpusBleu(
  hypotheses: readonly string[],
  references: ReadonlyArray<ReadonlyArray<string | null>>,
  options: BleuOptions = {},
): BleuScore {
  const maxOrder = options.maxNgramOrder ?? 4;
  const preprocess = createPreprocessor(options);
  const sums = new Array<number>(2 + 2 * maxOrder).fill(0);
  hypotheses.forEach((hypothesis, i) => {
    const refs = references.map((stream) => stream[i]).filter((r): r is string => typeof r === 'string');
    const stats = segmentStats(hypothesis, refs, preprocess, maxOrder);
    for (let k = 0; k < sums.length; k++) sums[k]! += stats[k]!;
  });
  return scoreFromStats(sums, options, maxOrder);
}

/**
 * Sentence BLEU against one or more references. Effective order is on by default, as in
 * sacreBLEU's `sentence_bleu` and its `--sentence-level` mode.
 *
 * @example
 * sentenceBleu('a little test', ['a test']).score
 */
export function sentenceBleu(
  hypothesis: string,
  references: readonly string[],
  options: BleuOptions = {},
): BleuScore {
  const maxOrder = options.maxNgramOrder ?? 4;
  const stats = segmentStats(hypothesis, references, createPreprocessor(options), maxOrder);
  return scoreFromStats(stats, { ...options, effectiveOrder: options.effectiveOrder ?? true }, maxOrder);
}
