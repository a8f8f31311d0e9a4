/**
 * Tool parameter schemas for node-llama-cpp's native function calling (`tool_choice: auto`), whose
 * grammar understands a JSON Schema subset: types, const/enum of primitives, oneOf, object
 * properties/required/additionalProperties, array items/prefixItems/min/maxItems, string
 * min/maxLength and date/time formats, `$ref` into `$defs`.
 *
 * Anything else is an assertion the library would silently ignore. For a `strict: true` tool that
 * is refused (`UnsupportedSchemaError`); for a non-strict tool — which OpenAI does not enforce
 * either — it is left out of the grammar and the arguments are checked where the tool runs
 * (generateText validates them against the full schema).
 */
import type { GbnfJsonSchema } from 'node-llama-cpp';
import { UnsupportedSchemaError } from '../grammar/json-schema-to-gbnf.js';

const KEEP = new Set([
  'type',
  'const',
  'enum',
  'oneOf',
  'properties',
  'additionalProperties',
  'required',
  'minProperties',
  'maxProperties',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'format',
  '$ref',
  '$defs',
  'description',
]);

const ANNOTATIONS = new Set([
  'title',
  'default',
  'examples',
  'example',
  '$schema',
  '$id',
  '$comment',
  'deprecated',
  'readOnly',
  'writeOnly',
  'strict',
]);

const LIBRARY_FORMATS = new Set(['date', 'time', 'date-time']);

/** The library reads `{}` as `null` and `{ type: 'object' }` as `{}`; this is "any JSON value". */
const ANY_VALUE = {
  oneOf: [
    { type: ['string', 'number', 'boolean', 'null'] },
    { type: 'array' },
    { type: 'object', additionalProperties: true },
  ],
} as unknown as GbnfJsonSchema;

export function toLibrarySchema(schema: unknown, strict: boolean, path = '#'): GbnfJsonSchema {
  if (schema === true || schema === undefined) return ANY_VALUE;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema))
    throw new UnsupportedSchemaError(`schema of type ${typeof schema}`, path);
  const input = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const drop = (feature: string) => {
    if (strict) throw new UnsupportedSchemaError(feature, path);
  };
  for (const [key, value] of Object.entries(input)) {
    if (ANNOTATIONS.has(key) || key.startsWith('x-')) continue;
    if (key === 'anyOf') {
      out.oneOf = (value as unknown[]).map((v, i) => toLibrarySchema(v, strict, `${path}/anyOf/${i}`));
    } else if (key === 'definitions') {
      out.$defs = mapValues(value, strict, `${path}/definitions`);
    } else if (key === 'nullable') {
      if (value === true) drop('nullable');
    } else if (!KEEP.has(key)) {
      drop(key);
    } else if (key === 'format' && !LIBRARY_FORMATS.has(String(value))) {
      drop(`format "${String(value)}"`);
    } else if (key === 'enum' || key === 'const') {
      const values = key === 'enum' ? (value as unknown[]) : [value];
      if (values.some((v) => typeof v === 'object' && v !== null)) drop(`${key} with object or array values`);
      else out[key] = value;
    } else if (key === 'oneOf' || key === 'prefixItems') {
      out[key] = (value as unknown[]).map((v, i) => toLibrarySchema(v, strict, `${path}/${key}/${i}`));
    } else if (key === 'properties' || key === '$defs') {
      out[key] = mapValues(value, strict, `${path}/${key}`);
    } else if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object')) {
      out[key] = toLibrarySchema(value, strict, `${path}/${key}`);
    } else if (key === '$ref') {
      out.$ref = String(value).replace(/^#\/definitions\//, '#/$defs/');
    } else {
      out[key] = value;
    }
  }
  if (!('type' in out || 'const' in out || 'enum' in out || 'oneOf' in out || '$ref' in out)) {
    return out.properties ? ({ type: 'object', ...out } as GbnfJsonSchema) : { ...ANY_VALUE, ...out };
  }
  if (out.type === 'object' && !out.properties && out.additionalProperties === undefined)
    out.additionalProperties = true;
  return out as GbnfJsonSchema;
}

function mapValues(value: unknown, strict: boolean, path: string): Record<string, GbnfJsonSchema> {
  const out: Record<string, GbnfJsonSchema> = {};
  for (const [name, sub] of Object.entries((value ?? {}) as Record<string, unknown>)) {
    out[name] = toLibrarySchema(sub, strict, `${path}/${name}`);
  }
  return out;
}
