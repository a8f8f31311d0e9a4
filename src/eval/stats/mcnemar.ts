/**
 * McNemar's test for two systems judged pass/fail on the same cases: only the discordant cases
 * count — b where A passed and B failed, c where A failed and B passed. With few discordant cases
 * the exact binomial test is used (two-sided, as statsmodels' `mcnemar(exact=True)`), otherwise the
 * chi-square statistic with continuity correction (statsmodels' and R's `mcnemar.test` default).
 */
import { binomialHalfCdf, chiSquareSurvival } from './distributions.js';

export interface McNemarResult {
  /** A passed, B failed. */
  b: number;
  /** A failed, B passed. */
  c: number;
  method: 'exact' | 'chi-square';
  /** min(b, c) for the exact test, (|b − c| − 1)² / (b + c) for chi-square. */
  statistic: number;
  pValue: number;
}

export interface McNemarOptions {
  /** Force a method; by default exact when b + c < `exactBelow`. */
  method?: 'exact' | 'chi-square';
  /** Default 25, the usual rule of thumb for the chi-square approximation. */
  exactBelow?: number;
}

/**
 * McNemar's test from the discordant counts.
 *
 * @example
 * mcnemarTest(121, 59).pValue                           // chi-square: 5.450095e-06
 * mcnemarTest(10, 30).pValue                            // chi-square (b + c = 40)
 * mcnemarTest(10, 30, { method: 'exact' }).pValue       // 0.002221
 */
export function mcnemarTest(b: number, c: number, options: McNemarOptions = {}): McNemarResult {
  for (const [name, value] of [
    ['b', b],
    ['c', c],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a count, got ${value}`);
  }
  const n = b + c;
  const method = options.method ?? (n < (options.exactBelow ?? 25) ? 'exact' : 'chi-square');
  if (method === 'exact') {
    const statistic = Math.min(b, c);
    return { b, c, method, statistic, pValue: n === 0 ? 1 : Math.min(1, 2 * binomialHalfCdf(statistic, n)) };
  }
  if (n === 0) return { b, c, method, statistic: 0, pValue: 1 };
  // statsmodels and R do not clamp |b − c| − 1 at zero; neither does this, to give their numbers.
  const statistic = (Math.abs(b - c) - 1) ** 2 / n;
  return { b, c, method, statistic, pValue: chiSquareSurvival(statistic, 1) };
}

/**
 * McNemar's test from paired pass/fail outcomes.
 *
 * @example
 * mcnemarFromOutcomes([true, true, false], [true, false, true])   // b = 1, c = 1
 */
export function mcnemarFromOutcomes(
  passedA: readonly boolean[],
  passedB: readonly boolean[],
  options: McNemarOptions = {},
): McNemarResult {
  if (passedA.length !== passedB.length) {
    throw new Error(`outcome lists differ in length: ${passedA.length} and ${passedB.length}`);
  }
  let b = 0;
  let c = 0;
  passedA.forEach((a, i) => {
    if (a && !passedB[i]) b++;
    else if (!a && passedB[i]) c++;
  });
  return mcnemarTest(b, c, options);
}
