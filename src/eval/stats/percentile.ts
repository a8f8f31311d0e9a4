/**
 * Percentiles with linear interpolation between order statistics — numpy's default
 * (`np.percentile(..., method='linear')`), so confidence bounds match what a Python user computes.
 */

/**
 * @example
 * percentile([1, 2, 3, 4], 50)   // 2.5
 */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('percentile of an empty list');
  if (!(q >= 0 && q <= 100)) throw new RangeError(`q must be within [0, 100], got ${q}`);
  const sorted = [...values].sort((a, b) => a - b);
  return percentileOfSorted(sorted, q);
}

/** As `percentile`, for values already sorted ascending. */
export function percentileOfSorted(sorted: readonly number[], q: number): number {
  const position = (q / 100) * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  const fraction = position - lower;
  const low = sorted[lower]!;
  const high = sorted[upper]!;
  // numpy's _lerp: the form that is exact at both ends.
  return fraction >= 0.5 ? high - (high - low) * (1 - fraction) : low + (high - low) * fraction;
}
