/**
 * Validation and in-process evaluation of `MetadataFilter`. The SQLite adapter compiles the same
 * filter to SQL; the contract suite holds both to the semantics documented in the port.
 */
import { ConduitError } from '../../core/errors.js';
import { type FilterScalar, type MetadataFilter, metadataFilterSchema } from '../ports/metadata-filter.js';

export function parseFilter(filter: unknown): MetadataFilter {
  const parsed = metadataFilterSchema.safeParse(filter);
  if (!parsed.success) {
    throw new ConduitError('bad_request', `Invalid metadata filter: ${parsed.error.message}`, {
      param: 'filter',
      details: parsed.error.issues,
    });
  }
  return parsed.data;
}

function valueAt(metadata: Record<string, unknown>, field: string): unknown {
  let current: unknown = metadata;
  for (const key of field.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Candidates a condition is tested against: an array's elements, a scalar itself, nothing else. */
function candidates(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === undefined || (value !== null && typeof value === 'object')) return [];
  return [value];
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');

/** Same-type comparison, strings by UTF-8 bytes as SQLite's BINARY collation does; NaN when incomparable. */
function compare(a: unknown, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(utf8(a), utf8(b));
  return Number.NaN;
}

function equals(a: unknown, b: FilterScalar): boolean {
  return typeof a === typeof b && a === b;
}

export function matchesFilter(metadata: Record<string, unknown>, filter: MetadataFilter): boolean {
  if ('and' in filter) return filter.and.every((f) => matchesFilter(metadata, f));
  if ('or' in filter) return filter.or.some((f) => matchesFilter(metadata, f));
  const items = candidates(valueAt(metadata, filter.field));
  switch (filter.op) {
    case 'eq':
      return items.some((item) => equals(item, filter.value));
    case 'ne':
      return !items.some((item) => equals(item, filter.value));
    case 'in':
      return items.some((item) => filter.value.some((v) => equals(item, v)));
    case 'gt':
      return items.some((item) => compare(item, filter.value) > 0);
    case 'gte':
      return items.some((item) => compare(item, filter.value) >= 0);
    case 'lt':
      return items.some((item) => compare(item, filter.value) < 0);
    case 'lte':
      return items.some((item) => compare(item, filter.value) <= 0);
  }
}
