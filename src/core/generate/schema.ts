/**
 * One view over the two schema kinds that tools and structured output accept: a zod schema (typed,
 * validated with zod) or a plain JSON Schema object (validated with ajv). Both become JSON Schema on
 * the wire; both report problems as short `path: message` strings that a model can act on.
 */

import { createRequire } from 'node:module';
import type { Ajv, ValidateFunction } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { z } from 'zod';
import type { JsonSchema } from '../chat-request.js';

/** A zod schema or a plain JSON Schema object. */
export type SchemaLike = z.ZodType | JsonSchema;

export type ValidationResult<T = unknown> = { ok: true; value: T } | { ok: false; issues: string[] };

/** True for a zod 4 schema (checked structurally, so a second copy of zod still counts). */
export function isZodSchema(schema: unknown): schema is z.ZodType {
  return typeof schema === 'object' && schema !== null && '_zod' in schema && 'safeParse' in schema;
}

const jsonSchemas = new WeakMap<object, JsonSchema>();

/**
 * The JSON Schema a model sees. For zod this is the *input* side (what the model must produce before
 * defaults and transforms apply). `$schema` is dropped: providers don't need it and some reject it.
 */
export function toJsonSchema(schema: SchemaLike): JsonSchema {
  const cached = jsonSchemas.get(schema);
  if (cached) return cached;
  const raw: JsonSchema = isZodSchema(schema) ? z.toJSONSchema(schema, { io: 'input' }) : schema;
  const { $schema: _ignored, ...rest } = raw;
  jsonSchemas.set(schema, rest);
  return rest;
}

// ajv (CommonJS) is required when the first plain JSON Schema is compiled: most processes never
// validate one, and loading ajv costs tens of milliseconds of start-up.
const require = createRequire(import.meta.url);

// ajv compiles a schema into a function; compiling is far slower than validating, so once per schema.
const validators = new WeakMap<object, ValidateFunction>();
let ajv: Ajv | undefined;
let ajv2020: Ajv2020 | undefined;

function compile(schema: JsonSchema): ValidateFunction {
  let validate = validators.get(schema);
  if (validate) return validate;
  // Formats need ajv-formats; without it ajv would warn on every `format`, so formats are not checked.
  const options = { allErrors: true, strict: false, validateFormats: false } as const;
  if (typeof schema.$schema === 'string' && schema.$schema.includes('2020-12')) {
    ajv2020 ??= new (require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')).Ajv2020(options);
    validate = ajv2020.compile(schema);
  } else {
    // Other drafts (04, 06, 2019-09) share the keywords that tool schemas use; validating them as
    // draft-07 beats refusing a schema ajv would otherwise reject for its `$schema` URI alone.
    const { $schema: _draft, ...rest } = schema;
    ajv ??= new (require('ajv') as typeof import('ajv')).Ajv(options);
    validate = ajv.compile(rest);
  }
  validators.set(schema, validate);
  return validate;
}

/** Compiles a plain JSON Schema now, so a broken schema fails where it is defined, not mid-conversation. */
export function prepareSchema(schema: SchemaLike): void {
  if (!isZodSchema(schema)) compile(schema);
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** `/items/0/name` (a JSON pointer, as ajv reports) → `items[0].name`. */
function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  const keys = pointer
    .slice(1)
    .split('/')
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  return formatPath(keys);
}

const withPath = (path: string, message: string) => (path === '' ? message : `${path}: ${message}`);

/** Validates a parsed value; zod's result keeps its transforms and defaults. */
export function validateValue<T = unknown>(schema: SchemaLike, value: unknown): ValidationResult<T> {
  if (isZodSchema(schema)) {
    const parsed = schema.safeParse(value);
    if (parsed.success) return { ok: true, value: parsed.data as T };
    return { ok: false, issues: parsed.error.issues.map((i) => withPath(formatPath(i.path), i.message)) };
  }
  const validate = compile(schema);
  if (validate(value)) return { ok: true, value: value as T };
  const issues = (validate.errors ?? []).map((e) =>
    withPath(pointerToPath(e.instancePath), e.message ?? `failed ${e.keyword}`),
  );
  return { ok: false, issues: issues.length > 0 ? issues : ['does not match the schema'] };
}
