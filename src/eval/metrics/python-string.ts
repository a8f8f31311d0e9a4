/**
 * Python `str` behaviour that the reference metrics depend on. sacreBLEU, rouge-score and the SQuAD
 * script are Python, and their results hinge on details where JavaScript differs: what `split()`
 * counts as whitespace, that `len()` and indexing count code points rather than UTF-16 units, and
 * that `format()` rounds exact ties to even where `toFixed` rounds them up.
 */

/**
 * The characters for which Python's `str.isspace()` is true (checked against CPython 3.11 over all
 * of Unicode). JavaScript's `\s` differs: it adds U+FEFF and lacks U+001C–U+001F and U+0085.
 */
export const PY_WHITESPACE_CLASS =
  '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const RUNS = new RegExp(`[${PY_WHITESPACE_CLASS}]+`, 'u');
const LEADING = new RegExp(`^[${PY_WHITESPACE_CLASS}]+`, 'u');
const TRAILING = new RegExp(`[${PY_WHITESPACE_CLASS}]+$`, 'u');

/**
 * `s.split()` with no separator: split on runs of whitespace, no empty strings.
 *
 * @example
 * pySplit('  a\u00a0b\n')   // ['a', 'b']
 */
export function pySplit(s: string): string[] {
  if (s === '') return [];
  const parts = s.split(RUNS);
  const out: string[] = [];
  for (const part of parts) if (part !== '') out.push(part);
  return out;
}

/** `s.strip()` with no argument. */
export function pyStrip(s: string): string {
  return s.replace(LEADING, '').replace(TRAILING, '');
}

/** `s.rstrip()` with no argument. */
export function pyRstrip(s: string): string {
  return s.replace(TRAILING, '');
}

/** `len(s)`: the number of code points. */
export function pyLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * `f"{x:.{digits}f}"`. Both languages round the exact binary value, but on an exact tie Python
 * rounds to even (`f"{0.125:.2f}"` is `0.12`) and `toFixed` rounds away from zero (`0.13`).
 *
 * @example
 * pyFormatFixed(12.25, 1)   // '12.2', as Python prints it
 */
export function pyFormatFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : x < 0 ? '-inf' : 'nan';
  const rounded = x.toFixed(digits);
  // toFixed(100) is the exact decimal expansion of any double whose expansion ends within 100
  // places, which covers every tie that can occur at the few digits a score is printed with.
  const exact = Math.abs(x).toFixed(100);
  const point = exact.indexOf('.');
  const fraction = exact.slice(point + 1);
  const isTie = fraction[digits] === '5' && /^0*$/.test(fraction.slice(digits + 1));
  if (!isTie) return rounded;
  const lastKept = digits === 0 ? exact[point - 1] : fraction[digits - 1];
  if (Number(lastKept) % 2 === 1) return rounded; // rounding up reaches the even digit
  const truncated = digits === 0 ? exact.slice(0, point) : exact.slice(0, point + 1 + digits);
  return x < 0 || Object.is(x, -0) ? `-${truncated}` : truncated;
}
