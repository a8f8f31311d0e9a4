/** Terminal formats of usage figures, shared by `conduit logs` and `conduit traces`. */

/** Dollars with enough digits for sub-cent requests: $0.000123, $1.2500. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  return `$${usd.toFixed(usd < 0.01 ? 6 : 4)}`;
}

/** UTC to the second, so rows from replicas in other time zones line up. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A number or '-' when absent (formatTable still right-aligns the column). */
export function formatNumber(value: unknown, digits = 0): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '-';
}
