/**
 * The two tail probabilities the significance tests need, computed here rather than pulled in from
 * a statistics package: the chi-square survival function (via the regularized upper incomplete
 * gamma function) and the lower tail of Binomial(n, 1/2), exact in integer arithmetic for n ≤ 1000.
 */

// Lanczos approximation, g = 7, n = 9 (as in Numerical Recipes 3rd ed. and many libms): ~15 digits.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a). */
export function gammaQ(a: number, x: number): number {
  if (x < 0 || a <= 0) throw new RangeError('gammaQ needs a > 0 and x ≥ 0');
  if (x === 0) return 1;
  const logPrefix = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    // Series for P(a, x), then Q = 1 - P.
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return 1 - sum * Math.exp(logPrefix);
  }
  // Continued fraction for Q(a, x), modified Lentz.
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(logPrefix) * h;
}

/**
 * P(X ≥ x) for X ~ χ²(df).
 *
 * @example
 * chiSquareSurvival(3.841458820694124, 1)   // 0.05
 */
export function chiSquareSurvival(x: number, df: number): number {
  if (x <= 0) return 1;
  return gammaQ(df / 2, x / 2);
}

/**
 * P(X ≤ k) for X ~ Binomial(n, 1/2).
 *
 * @example
 * binomialHalfCdf(1, 10)   // 11 / 1024
 */
export function binomialHalfCdf(k: number, n: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (n <= 1000) {
    // Exact: the sum of binomial coefficients as a bigint, then one division by 2^n.
    let coefficient = 1n;
    let sum = 1n;
    for (let i = 1; i <= k; i++) {
      coefficient = (coefficient * BigInt(n - i + 1)) / BigInt(i);
      sum += coefficient;
    }
    return Number(sum) * 2 ** -n;
  }
  // Log space beyond that: sum from the largest term down, which is where the mass is.
  let logTerm = logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) - n * Math.LN2;
  let total = 0;
  const top = logTerm;
  for (let i = k; i >= 0; i--) {
    const term = Math.exp(logTerm - top);
    total += term;
    if (term < 1e-17 * total) break;
    logTerm += Math.log(i / (n - i + 1));
  }
  return Math.exp(top) * total;
}
