/**
 * JSON Schema (what OpenAI-style tools and response formats carry) → the OpenAPI 3.0 subset that
 * Gemini accepts in `functionDeclarations[].parameters` and `responseSchema`. Gemini rejects the
 * whole request on a keyword it does not know, so anything outside the subset is dropped, rewritten
 * (`const` → enum, `["string","null"]` → nullable) or, when dropping would change the meaning
 * (recursive `$ref`), refused with a clear `unsupported` error.
 */
import type { JsonSchema } from '../../core/chat-request.js';
import { ConduitError } from '../../core/errors.js';
import type { GeminiSchema } from './gemini-api.js';

type SchemaType = NonNullable<GeminiSchema['type']>;

const TYPES: Record<string, SchemaType> = {
  string: 'STRING',
  number: 'NUMBER',
  integer: 'INTEGER',
  boolean: 'BOOLEAN',
  array: 'ARRAY',
  object: 'OBJECT',
};

// Gemini documents these formats only; others ("uri", "email") have made it answer 400.
const FORMATS: Partial<Record<SchemaType, readonly string[]>> = {
  STRING: ['date-time', 'enum'],
  NUMBER: ['float', 'double'],
  INTEGER: ['int32', 'int64', 'enum'],
};

const COPIED = [
  'title',
  'description',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'minProperties',
  'maxProperties',
  'minimum',
  'maximum',
  'pattern',
  'default',
  'example',
  'propertyOrdering',
] as const;

interface Context {
  defs: Map<string, unknown>;
  /** `$ref`s being expanded on the current path: a repeat means recursion. */
  expanding: string[];
}

/**
 * @param path names the schema in errors, e.g. "tools[0].function.parameters".
 * @example
 * convertToGeminiSchema({ type: 'object', properties: { when: { type: ['string', 'null'] } } }, 'params');
 * // → { type: 'OBJECT', properties: { when: { type: 'STRING', nullable: true } } }
 */
export function convertToGeminiSchema(schema: JsonSchema, path = 'schema'): GeminiSchema {
  const defs = new Map<string, unknown>();
  for (const key of ['$defs', 'definitions'] as const) {
    const group = schema[key];
    if (isObject(group)) for (const [name, def] of Object.entries(group)) defs.set(`#/${key}/${name}`, def);
  }
  return convert(schema, path, { defs, expanding: [] });
}

function convert(node: unknown, path: string, ctx: Context): GeminiSchema {
  if (node === true || node === undefined) return {};
  if (!isObject(node)) throw unsupported(`${path} is not a JSON Schema object`, path);

  if (typeof node.$ref === 'string') return convertRef(node, node.$ref, path, ctx);

  const variants = (node.anyOf ?? node.oneOf) as unknown;
  if (Array.isArray(variants)) return convertUnion(node, variants, path, ctx);
  if (Array.isArray(node.allOf)) {
    if (node.allOf.length !== 1)
      throw unsupported(`${path}.allOf with several schemas is not supported by Gemini`, path);
    const { allOf: _allOf, ...rest } = node;
    return { ...convert(node.allOf[0], `${path}.allOf[0]`, ctx), ...copyKeywords(rest) };
  }

  const out: GeminiSchema = {};
  let rawTypes = Array.isArray(node.type)
    ? (node.type as unknown[])
    : node.type === undefined
      ? []
      : [node.type];
  if (rawTypes.includes('null')) {
    out.nullable = true;
    rawTypes = rawTypes.filter((t) => t !== 'null');
  }
  if (rawTypes.length > 1) {
    // ["string", "number"]: one branch per type, each keeping the keywords that apply to it.
    const branches = rawTypes.map((t) => convert({ ...node, type: t }, path, ctx));
    return { ...out, anyOf: branches, ...pick(node, ['description', 'title']) };
  }
  const type = rawTypes[0] === undefined ? undefined : TYPES[String(rawTypes[0])];
  if (rawTypes[0] !== undefined && !type)
    throw unsupported(`${path}.type "${String(rawTypes[0])}" is unknown`, path);
  if (type) out.type = type;

  Object.assign(out, copyKeywords(node));
  if (typeof node.format === 'string' && type && FORMATS[type]?.includes(node.format))
    out.format = node.format;
  if (Array.isArray(node.examples) && node.examples.length > 0 && out.example === undefined) {
    out.example = node.examples[0];
  }

  const allowed =
    'const' in node ? [node.const] : Array.isArray(node.enum) ? (node.enum as unknown[]) : undefined;
  if (allowed) applyEnum(out, allowed);

  if (isObject(node.properties)) {
    out.properties = {};
    for (const [name, child] of Object.entries(node.properties)) {
      out.properties[name] = convert(child, `${path}.properties.${name}`, ctx);
    }
    out.type ??= 'OBJECT';
  }
  if (Array.isArray(node.required))
    out.required = node.required.filter((r): r is string => typeof r === 'string');
  if (Array.isArray(node.items)) {
    // A tuple has no OpenAPI 3.0 form; the closest is "an array of any of these".
    out.items = { anyOf: node.items.map((item, i) => convert(item, `${path}.items[${i}]`, ctx)) };
  } else if (node.items !== undefined) {
    out.items = convert(node.items, `${path}.items`, ctx);
  }
  return out;
}

function convertRef(node: Record<string, unknown>, ref: string, path: string, ctx: Context): GeminiSchema {
  if (ctx.expanding.includes(ref) || ref === '#') {
    throw unsupported(`${path} refers to itself (${ref}); Gemini schemas cannot express recursion`, path);
  }
  const target = ctx.defs.get(ref);
  if (target === undefined) {
    throw unsupported(
      `${path}.$ref "${ref}" is not supported by Gemini: only local $defs refs are inlined`,
      path,
    );
  }
  ctx.expanding.push(ref);
  try {
    const { $ref: _ref, ...siblings } = node;
    return { ...convert(target, path, ctx), ...copyKeywords(siblings) };
  } finally {
    ctx.expanding.pop();
  }
}

function convertUnion(
  node: Record<string, unknown>,
  variants: unknown[],
  path: string,
  ctx: Context,
): GeminiSchema {
  const nonNull = variants.filter((v) => !(isObject(v) && v.type === 'null'));
  const nullable = nonNull.length < variants.length ? { nullable: true } : {};
  const { anyOf: _a, oneOf: _o, ...rest } = node;
  if (nonNull.length === 1) return { ...convert(nonNull[0], path, ctx), ...nullable, ...copyKeywords(rest) };
  const anyOf = nonNull.map((v, i) => convert(v, `${path}.anyOf[${i}]`, ctx));
  return { anyOf, ...nullable, ...copyKeywords(rest) };
}

/** Gemini enums are strings; numbers go as their decimal text with `format: enum`, as Google documents. */
function applyEnum(out: GeminiSchema, values: unknown[]): void {
  if (values.includes(null)) out.nullable = true;
  const present = values.filter((v) => v !== null);
  if (present.length === 0) return;
  if (present.every((v) => typeof v === 'boolean')) {
    out.type ??= 'BOOLEAN';
    return; // two values at most: the type says it all
  }
  out.enum = present.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  if (present.every((v) => typeof v === 'string')) {
    out.type ??= 'STRING';
  } else if (present.every((v) => typeof v === 'number')) {
    out.type ??= present.every((v) => Number.isInteger(v)) ? 'INTEGER' : 'NUMBER';
    out.format = 'enum';
  }
}

function copyKeywords(node: Record<string, unknown>): Partial<GeminiSchema> {
  return pick(node, COPIED);
}

function pick(node: Record<string, unknown>, keys: readonly string[]): Partial<GeminiSchema> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (node[key] !== undefined) out[key] = node[key];
  return out as Partial<GeminiSchema>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unsupported(message: string, param: string): ConduitError {
  return new ConduitError('unsupported', `google: ${message}`, { provider: 'google', param });
}
