/**
 * JSON helpers shared by adapters. Memory adapters clone through JSON too, so they hand back exactly
 * what a database round trip would (no shared references, no `undefined` members, no Dates).
 */
import { ConduitError } from '../../core/errors.js';

export function toJson(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value ?? null);
  } catch (cause) {
    throw new ConduitError('bad_request', `${what} is not JSON-serialisable`, { cause });
  }
  return text ?? 'null';
}

export function fromJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined) return fallback;
  return JSON.parse(text) as T;
}

export function jsonClone<T>(value: T, what = 'value'): T {
  return JSON.parse(toJson(value, what)) as T;
}
