/**
 * Reading an assertion's `value` in the shape a check needs. A suite is validated before it runs,
 * but `{{var}}` rendering happens per case, so a value can still turn out empty here: that is an
 * error of the suite, reported on the case, not a failed output.
 */
import type { AssertionSpec } from './assertion-types.js';

/** A problem with the assertion itself (missing value, bad regex), not with the output. */
export class AssertionConfigError extends Error {
  override name = 'AssertionConfigError';
}

export function stringValue(spec: AssertionSpec): string {
  const { value } = spec;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new AssertionConfigError(`${spec.type} needs a text value`);
}

/** A list of strings; a single string counts as a list of one. */
export function stringList(spec: AssertionSpec): string[] {
  const { value } = spec;
  const list = Array.isArray(value) ? value : [value];
  const out = list.filter((v) => v !== undefined && v !== null).map((v) => String(v));
  if (out.length === 0) throw new AssertionConfigError(`${spec.type} needs a value (a text or a list)`);
  return out;
}

/** Clamps to [0, 1]; NaN becomes 0. */
export function unitScore(score: number): number {
  if (!Number.isFinite(score)) return score === Number.POSITIVE_INFINITY ? 1 : 0;
  return Math.min(1, Math.max(0, score));
}

/** Short, single-line rendering of a text for reasons. */
export function quote(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ');
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max - 1)}…` : flat);
}
