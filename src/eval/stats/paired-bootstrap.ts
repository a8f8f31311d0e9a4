/**
 * Paired bootstrap confidence interval for the difference of mean scores between two systems
 * scored on the same cases (Koehn 2004; Efron & Tibshirani's percentile interval). Each resample
 * draws case indices with replacement and takes mean(B) − mean(A) over them, keeping the pairing
 * that makes the test sensitive. The RNG is seeded PCG32, so a reported seed reproduces the interval.
 */
import { createPcg32 } from './pcg32.js';
import { percentileOfSorted } from './percentile.js';

export interface PairedBootstrapOptions {
  /** Number of resamples, default 1000. */
  resamples?: number;
  /** Confidence level, default 0.95. */
  confidence?: number;
  /** PCG32 seed, default 12345 (sacreBLEU's default bootstrap seed). */
  seed?: number;
}

export interface PairedBootstrapResult {
  /** mean(B) − mean(A) on the full data. */
  meanDifference: number;
  /** Lower and upper percentile bounds of the resampled differences. */
  low: number;
  high: number;
  confidence: number;
  resamples: number;
  seed: number;
  /** Share of resamples in which B's mean beat A's (ties count half). */
  winRate: number;
  /** The interval excludes 0. */
  significant: boolean;
}

/**
 * @example
 * const { meanDifference, low, high } = pairedBootstrap(scoresA, scoresB, { seed: 7 });
 * // B is better than A at 95% confidence when low > 0
 */
export function pairedBootstrap(
  scoresA: readonly number[],
  scoresB: readonly number[],
  options: PairedBootstrapOptions = {},
): PairedBootstrapResult {
  const n = scoresA.length;
  if (n !== scoresB.length) throw new Error(`score lists differ in length: ${n} and ${scoresB.length}`);
  if (n === 0) throw new Error('pairedBootstrap needs at least one paired score');
  const resamples = options.resamples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  const seed = options.seed ?? 12345;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError('resamples must be a positive integer');
  if (!(confidence > 0 && confidence < 1)) throw new RangeError('confidence must be between 0 and 1');

  const differences = scoresB.map((b, i) => b - scoresA[i]!);
  const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;
  const rng = createPcg32(seed);
  const resampled = new Array<number>(resamples);
  let wins = 0;
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += differences[rng.nextBelow(n)]!;
    const difference = sum / n;
    resampled[r] = difference;
    if (difference > 0) wins += 1;
    else if (difference === 0) wins += 0.5;
  }
  resampled.sort((a, b) => a - b);
  const tail = ((1 - confidence) / 2) * 100;
  const low = percentileOfSorted(resampled, tail);
  const high = percentileOfSorted(resampled, 100 - tail);
  return {
    meanDifference: mean(differences),
    low,
    high,
    confidence,
    resamples,
    seed,
    winRate: wins / resamples,
    significant: low > 0 || high < 0,
  };
}
