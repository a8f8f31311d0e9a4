/**
 * Levenshtein edit distance over code points (so an emoji is one edit, not two), and the
 * `levenshtein` assertion: pass when the distance to the reference is at most `threshold`
 * (default 5, as promptfoo). The score is 1 − distance / longer length, 1 for identical texts.
 */
import type { AssertionHandler } from './assertion-types.js';
import { quote, stringList } from './assertion-values.js';

/**
 * @example
 * levenshteinDistance('kitten', 'sitting')   // 3
 */
export function levenshteinDistance(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  // Two rows suffice: each row depends only on the one before.
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  let current = new Array<number>(t.length + 1);
  for (let i = 1; i <= s.length; i++) {
    current[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const substitution = previous[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    [previous, current] = [current, previous];
  }
  return previous[t.length]!;
}

export const levenshtein: AssertionHandler = (spec, { output }) => {
  const maxDistance = spec.threshold ?? 5;
  // Several references: the closest one counts.
  let best = { distance: Number.POSITIVE_INFINITY, reference: '', length: 1 };
  for (const reference of stringList(spec)) {
    const distance = levenshteinDistance(output, reference);
    if (distance < best.distance) {
      best = {
        distance,
        reference,
        length: Math.max(Array.from(output).length, Array.from(reference).length, 1),
      };
    }
  }
  const pass = best.distance <= maxDistance;
  return {
    pass,
    score: 1 - best.distance / best.length,
    value: best.distance,
    reason: `edit distance ${best.distance} to ${quote(best.reference, 40)} (${pass ? '≤' : '>'} ${maxDistance})`,
  };
};
