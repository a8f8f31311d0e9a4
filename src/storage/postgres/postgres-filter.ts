/**
 * Compiles a `MetadataFilter` to a condition over a jsonb column, with the semantics the port
 * spells out (the contract suite checks them against SQLite and memory):
 *
 * - equality is jsonb containment, tried against the value and against a one-element array, which
 *   gives "an array field matches when any element does" and uses the GIN (jsonb_path_ops) index;
 *   containment never walks through an array in the middle of a dotted path, as the port requires;
 * - ranges are strict-mode jsonpath filters on the value or on its elements; jsonpath compares only
 *   values of the same type and strings by code point, which is UTF-8 byte order.
 */
import type { FilterScalar, MetadataFilter } from '../ports/metadata-filter.js';

/** `author.name` + value → `{"author":{"name":value}}`. */
function nested(field: string, value: unknown): string {
  const keys = field.split('.');
  let out: unknown = value;
  for (let i = keys.length - 1; i >= 0; i--) out = { [keys[i] as string]: out };
  return JSON.stringify(out);
}

/** `author.name` → `$."author"."name"`; JSON string escapes are valid jsonpath escapes. */
function jsonPath(field: string): string {
  return `$${field
    .split('.')
    .map((key) => `.${JSON.stringify(key)}`)
    .join('')}`;
}

const COMPARATORS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

function compile(filter: MetadataFilter, column: string, params: unknown[]): string {
  const param = (value: unknown, type: string) => {
    params.push(value);
    return `$${params.length}::${type}`;
  };
  const equals = (field: string, value: FilterScalar) =>
    `(${column} @> ${param(nested(field, value), 'jsonb')} OR ${column} @> ${param(nested(field, [value]), 'jsonb')})`;

  if ('and' in filter) {
    if (filter.and.length === 0) return 'TRUE';
    return `(${filter.and.map((f) => compile(f, column, params)).join(' AND ')})`;
  }
  if ('or' in filter) {
    if (filter.or.length === 0) return 'FALSE';
    return `(${filter.or.map((f) => compile(f, column, params)).join(' OR ')})`;
  }
  switch (filter.op) {
    case 'eq':
      return equals(filter.field, filter.value);
    case 'ne':
      return `NOT ${equals(filter.field, filter.value)}`;
    case 'in':
      if (filter.value.length === 0) return 'FALSE';
      return `(${filter.value.map((v) => equals(filter.field, v)).join(' OR ')})`;
    default: {
      const path = jsonPath(filter.field);
      const test = `? (@ ${COMPARATORS[filter.op]} $v)`;
      const vars = param(JSON.stringify({ v: filter.value }), 'jsonb');
      // silent = true: a strict-mode mismatch (an object, a missing key) is "no match", not an error.
      const exists = (p: string) => `jsonb_path_exists(${column}, ${param(p, 'jsonpath')}, ${vars}, true)`;
      return `coalesce(${exists(`strict ${path} ${test}`)} OR ${exists(`strict ${path}[*] ${test}`)}, FALSE)`;
    }
  }
}

/** A SQL condition; its parameters are appended to `params`, numbered after those already there. */
export function compilePostgresFilter(
  filter: MetadataFilter | undefined,
  column: string,
  params: unknown[],
): string {
  return filter ? compile(filter, column, params) : 'TRUE';
}
