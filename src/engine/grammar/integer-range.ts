/**
 * GBNF for decimal integers within bounds (JSON Schema `minimum`/`maximum` on integers), without
 * leading zeros. The non-negative part uses the classic range-splitting method: cut [a, b] at
 * powers of ten into pieces whose members share a digit pattern like `1 [5-9] [0-9]`.
 */

/** Unbounded sides stop at 15 digits: every value stays a safe JavaScript integer. */
const MAX_DIGITS = 15;
const MAX = 10 ** MAX_DIGITS - 1;

/**
 * An expression matching the integers in [min, max]; either bound may be absent.
 *
 * @example
 * integerRangeGbnf(1, 12) // "([1-9] | "1" [0-2])"
 */
export function integerRangeGbnf(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined && min > max)
    throw new RangeError(`empty range [${min}, ${max}]`);
  const lo = min ?? -MAX;
  const hi = max ?? MAX;
  const alternatives: string[] = [];
  if (lo < 0) {
    // Negative values: "-" then a magnitude in [max(1, -hi), -lo].
    const magnitudeLo = hi < 0 ? -hi : 1;
    alternatives.push(`"-" ${group(nonNegativeRange(magnitudeLo, Math.min(-lo, MAX)))}`);
  }
  if (hi >= 0) alternatives.push(...nonNegativeRange(Math.max(lo, 0), Math.min(hi, MAX)));
  return group(alternatives);
}

function group(alternatives: string[]): string {
  return alternatives.length === 1 ? alternatives[0]! : `(${alternatives.join(' | ')})`;
}

/** Alternatives matching [a, b], 0 ≤ a ≤ b. */
function nonNegativeRange(a: number, b: number): string[] {
  const out: string[] = [];
  let start = a;
  for (const stop of splitPoints(a, b)) {
    out.push(piecePattern(start, stop));
    start = stop + 1;
  }
  return out;
}

/** Ends of sub-ranges of [a, b] in which every number has the same length and a single-pattern shape. */
function splitPoints(a: number, b: number): number[] {
  const stops = new Set<number>([b]);
  let nines = 1;
  let stop = fillByNines(a, nines);
  while (a <= stop && stop <= b) {
    stops.add(stop);
    nines++;
    stop = fillByNines(a, nines);
  }
  let zeros = 1;
  stop = fillByZeros(b + 1, zeros) - 1;
  while (a < stop && stop <= b) {
    stops.add(stop);
    zeros++;
    stop = fillByZeros(b + 1, zeros) - 1;
  }
  return [...stops].sort((x, y) => x - y);
}

/** Replaces the last `count` digits of n with 9s. */
function fillByNines(n: number, count: number): number {
  const digits = String(n);
  return Number(digits.slice(0, Math.max(0, digits.length - count)) + '9'.repeat(count));
}

/** Replaces the last `count` digits of n with 0s. */
function fillByZeros(n: number, count: number): number {
  const scale = 10 ** count;
  return n - (n % scale);
}

/** start and stop have equal length here; digits equal → literal, 0-9 → any digit, else a class. */
function piecePattern(start: number, stop: number): string {
  const a = String(start);
  const b = String(stop);
  const parts: string[] = [];
  let literal = '';
  let anyDigits = 0;
  const flushAny = () => {
    if (anyDigits > 0) parts.push(anyDigits === 1 ? '[0-9]' : `[0-9]{${anyDigits}}`);
    anyDigits = 0;
  };
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y && anyDigits === 0) {
      literal += x;
      continue;
    }
    if (literal) {
      parts.push(`"${literal}"`);
      literal = '';
    }
    if (x === '0' && y === '9') anyDigits++;
    else {
      flushAny();
      parts.push(x === y ? `"${x}"` : `[${x}-${y}]`);
    }
  }
  if (literal) parts.push(`"${literal}"`);
  flushAny();
  return parts.length === 1 ? parts[0]! : `(${parts.join(' ')})`;
}
