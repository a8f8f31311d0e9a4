/**
 * Deterministic checks on the output text: equals, contains (one, any, all; optionally
 * case-insensitive), starts-with and regex. Each passes with score 1 or fails with 0; `reason` says
 * what was looked for, so a failing row in a report explains itself.
 */
import { isDeepStrictEqual } from 'node:util';
import type { AssertionHandler, AssertionOutcome, AssertionSpec } from './assertion-types.js';
import { AssertionConfigError, quote, stringList, stringValue } from './assertion-values.js';

const outcome = (pass: boolean, reason: string): AssertionOutcome => ({ pass, score: pass ? 1 : 0, reason });

const fold = (text: string, spec: AssertionSpec, insensitive = false) =>
  insensitive || spec.case_insensitive ? text.toLocaleLowerCase() : text;

/**
 * `equals`: the output (trimmed) is the value. An object or list value compares with the output
 * parsed as JSON, so `value: { ok: true }` accepts `{"ok": true}` however it is spaced.
 */
export const equals: AssertionHandler = (spec, { output }) => {
  if (spec.value !== null && typeof spec.value === 'object') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(output);
    } catch {
      return outcome(false, 'output is not JSON, so it cannot equal the expected object');
    }
    const pass = isDeepStrictEqual(parsed, spec.value);
    return outcome(pass, pass ? 'output equals the expected JSON' : 'output JSON differs from the expected');
  }
  const expected = stringValue(spec);
  const pass = fold(output.trim(), spec) === fold(expected.trim(), spec);
  return outcome(pass, pass ? 'output equals the expected text' : `expected ${quote(expected)}`);
};

function containsHandler(mode: 'one' | 'any' | 'all', insensitive: boolean): AssertionHandler {
  return (spec, { output }) => {
    const haystack = fold(output, spec, insensitive);
    const needles = mode === 'one' ? [stringValue(spec)] : stringList(spec);
    const found = needles.filter((needle) => haystack.includes(fold(needle, spec, insensitive)));
    const missing = needles.filter((needle) => !found.includes(needle));
    if (mode === 'all') {
      return outcome(
        missing.length === 0,
        missing.length === 0
          ? `output contains all ${needles.length}`
          : `output lacks ${missing.map((n) => quote(n, 30)).join(', ')}`,
      );
    }
    return outcome(
      found.length > 0,
      found.length > 0
        ? `output contains ${quote(found[0]!, 30)}`
        : `output contains none of ${needles.map((n) => quote(n, 30)).join(', ')}`,
    );
  };
}

export const contains = containsHandler('one', false);
export const containsAny = containsHandler('any', false);
export const containsAll = containsHandler('all', false);
export const icontains = containsHandler('one', true);
export const icontainsAny = containsHandler('any', true);
export const icontainsAll = containsHandler('all', true);

export const startsWith: AssertionHandler = (spec, { output }) => {
  const prefix = stringValue(spec);
  const pass = fold(output.trimStart(), spec).startsWith(fold(prefix, spec));
  return outcome(
    pass,
    pass ? `output starts with ${quote(prefix)}` : `output does not start with ${quote(prefix)}`,
  );
};

/** `regex`: JavaScript syntax; `flags` as in `new RegExp` (`case_insensitive` adds `i`). */
export const regex: AssertionHandler = (spec, { output }) => {
  const source = stringValue(spec);
  let flags = spec.flags ?? '';
  if (spec.case_insensitive && !flags.includes('i')) flags += 'i';
  let pattern: RegExp;
  try {
    pattern = new RegExp(source, flags);
  } catch (error) {
    throw new AssertionConfigError(`regex ${quote(source)} is invalid: ${(error as Error).message}`);
  }
  const match = pattern.exec(output);
  return outcome(
    match !== null,
    match ? `output matches /${source}/ at ${quote(match[0], 30)}` : `output does not match /${source}/`,
  );
};
