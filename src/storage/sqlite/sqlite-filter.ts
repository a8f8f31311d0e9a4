/**
 * Compiles a `MetadataFilter` to a SQL condition over a JSON column. `json_each` walks an array's
 * elements or yields a scalar once, which gives the "any element" rule for free; the `type` column
 * keeps comparisons within one JSON type, as the port requires.
 */
import type { FilterScalar, MetadataFilter } from '../ports/metadata-filter.js';

export interface SqlCondition {
  sql: string;
  params: (string | number)[];
}

function jsonPath(field: string): string {
  // The filter schema already refused '"' and empty segments, so quoting each key is safe.
  return `$${field
    .split('.')
    .map((key) => `."${key}"`)
    .join('')}`;
}

function scalarTest(value: FilterScalar, params: (string | number)[]): string {
  if (value === null) return `type = 'null'`;
  if (value === true) return `type = 'true'`;
  if (value === false) return `type = 'false'`;
  params.push(value);
  return typeof value === 'number'
    ? `(type IN ('integer', 'real') AND value = ?)`
    : `(type = 'text' AND value = ?)`;
}

const COMPARATORS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

function compile(filter: MetadataFilter, column: string, params: (string | number)[]): string {
  if ('and' in filter) {
    if (filter.and.length === 0) return '1';
    return `(${filter.and.map((f) => compile(f, column, params)).join(' AND ')})`;
  }
  if ('or' in filter) {
    if (filter.or.length === 0) return '0';
    return `(${filter.or.map((f) => compile(f, column, params)).join(' OR ')})`;
  }
  params.push(jsonPath(filter.field));
  // Objects are never compared: json_each over one yields its members, whose keys are text, so only
  // a scalar (key NULL) or an array element (integer key) may match.
  const each = (test: string) =>
    `EXISTS (SELECT 1 FROM json_each(${column}, ?) WHERE (key IS NULL OR typeof(key) = 'integer') AND (${test}))`;
  switch (filter.op) {
    case 'eq':
      return each(scalarTest(filter.value, params));
    case 'ne':
      return `NOT ${each(scalarTest(filter.value, params))}`;
    case 'in':
      if (filter.value.length === 0) return each('0');
      return each(filter.value.map((v) => scalarTest(v, params)).join(' OR '));
    default: {
      const type = typeof filter.value === 'number' ? `type IN ('integer', 'real')` : `type = 'text'`;
      params.push(filter.value);
      return each(`${type} AND value ${COMPARATORS[filter.op]} ?`);
    }
  }
}

export function compileFilter(filter: MetadataFilter | undefined, column: string): SqlCondition {
  const params: (string | number)[] = [];
  if (!filter) return { sql: '1', params };
  return { sql: compile(filter, column, params), params };
}
