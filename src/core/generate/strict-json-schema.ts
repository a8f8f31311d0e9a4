/**
 * OpenAI strict structured output accepts a subset of JSON Schema: every object must list all of its
 * properties in `required` and set `additionalProperties: false`. This module rewrites a schema into
 * that shape and undoes the one semantic change it makes on the way back.
 *
 * The change: an optional property becomes required *and nullable*, so the model can still say
 * "absent" by sending `null`. `dropNullOptionals` then removes those nulls before validation, so a
 * zod `.optional()` field comes back `undefined` as the schema expects. A field that is both optional
 * and nullable keeps `null` (the model cannot distinguish the two), which is the documented limit.
 */
import type { JsonSchema } from '../chat-request.js';

export interface StrictJsonSchema {
  schema: JsonSchema;
  /**
   * False when the schema uses something strict mode cannot express (records / free-form objects,
   * `allOf`, `not`, pattern properties, an unconstrained `{}`): send it with `strict: false` and rely
   * on validation afterwards instead of having the provider reject the request.
   */
  strict: boolean;
}

const isObject = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when a schema admits `null` (conservatively: unknown shapes count as not admitting it). */
export function acceptsNull(schema: unknown, root: JsonSchema): boolean {
  const s = resolveRef(schema, root);
  if (!isObject(s)) return s === true;
  if (Object.keys(s).length === 0) return true;
  if (s.type === 'null' || (Array.isArray(s.type) && s.type.includes('null'))) return true;
  if (s.const === null || (Array.isArray(s.enum) && s.enum.includes(null))) return true;
  const branches = [...asArray(s.anyOf), ...asArray(s.oneOf)];
  return branches.some((b) => acceptsNull(b, root));
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Follows a local `$ref` (`#`, `#/$defs/x`, `#/definitions/x`), as zod emits for shared schemas. */
function resolveRef(schema: unknown, root: JsonSchema, depth = 0): unknown {
  if (!isObject(schema) || typeof schema.$ref !== 'string' || depth > 32) return schema;
  if (schema.$ref === '#') return root;
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(schema.$ref);
  const defs = match ? root[match[1]!] : undefined;
  return isObject(defs) ? resolveRef(defs[match![2]!], root, depth + 1) : schema;
}

const UNSUPPORTED = ['allOf', 'not', 'patternProperties', 'dependentSchemas', 'if'];

/**
 * Rewrites a JSON Schema for OpenAI strict mode (see the module comment).
 *
 * @example
 * const { schema, strict } = toStrictJsonSchema(toJsonSchema(z.object({ a: z.string().optional() })));
 * // schema.required = ['a'], a: { type: ['string', 'null'] }, additionalProperties: false
 */
export function toStrictJsonSchema(input: JsonSchema): StrictJsonSchema {
  const root = structuredClone(input);
  delete root.$schema;
  let strict = true;

  const visit = (node: unknown): void => {
    if (!isObject(node)) return;
    if (Object.keys(node).length === 0 || UNSUPPORTED.some((k) => k in node)) strict = false;
    // OpenAI rejects `default` in strict schemas; zod still applies it when the field comes back absent.
    delete node.default;
    if (Array.isArray(node.oneOf)) {
      node.anyOf = [...asArray(node.anyOf), ...node.oneOf];
      delete node.oneOf;
    }
    const isObjectType =
      node.type === 'object' ||
      (Array.isArray(node.type) && node.type.includes('object')) ||
      isObject(node.properties);
    if (isObjectType) {
      if (
        !isObject(node.properties) ||
        (node.additionalProperties !== undefined && node.additionalProperties !== false)
      ) {
        strict = false; // a record or free-form object: strict mode has no way to say "any keys"
      } else {
        const properties = node.properties;
        const required = new Set(asArray(node.required));
        for (const [key, property] of Object.entries(properties)) {
          if (!required.has(key) && !acceptsNull(property, root)) properties[key] = nullable(property);
        }
        node.required = Object.keys(properties);
        node.additionalProperties = false;
        delete node.propertyNames;
      }
    }
    for (const key of ['properties', '$defs', 'definitions']) {
      if (isObject(node[key])) Object.values(node[key]).forEach(visit);
    }
    for (const key of ['items', 'additionalProperties']) visit(node[key]);
    for (const key of ['anyOf', 'prefixItems']) asArray(node[key]).forEach(visit);
  };

  visit(root);
  return { schema: root, strict };
}

function nullable(property: unknown): JsonSchema {
  if (
    isObject(property) &&
    typeof property.type === 'string' &&
    !('enum' in property) &&
    !('const' in property)
  ) {
    return { ...property, type: [property.type, 'null'] };
  }
  return { anyOf: [property, { type: 'null' }] };
}

/**
 * Removes `null` from properties that the original schema marks optional and whose own schema does not
 * admit `null`: the inverse of the strict rewrite. Returns a new value; the input is not modified.
 * Inside `anyOf`/`oneOf` the first object branch that declares every key of the value is followed.
 */
export function dropNullOptionals(schema: JsonSchema, value: unknown, root: JsonSchema = schema): unknown {
  const s = resolveRef(schema, root);
  if (!isObject(s)) return value;
  if (Array.isArray(value)) {
    const prefix = asArray(s.prefixItems);
    return value.map((item, i) => {
      const itemSchema = prefix[i] ?? s.items;
      return isObject(itemSchema) ? dropNullOptionals(itemSchema, item, root) : item;
    });
  }
  if (!isObject(value)) return value;
  const branches = [...asArray(s.anyOf), ...asArray(s.oneOf)]
    .map((b) => resolveRef(b, root))
    .filter(isObject);
  const branch = branches.find((b) => {
    const properties = b.properties;
    return isObject(properties) && Object.keys(value).every((k) => k in properties);
  });
  if (branch) return dropNullOptionals(branch, value, root);
  if (!isObject(s.properties)) return value;
  const required = new Set(asArray(s.required));
  const out: JsonSchema = {};
  for (const [key, item] of Object.entries(value)) {
    const property = s.properties[key];
    if (property === undefined) out[key] = item;
    else if (item === null && !required.has(key) && !acceptsNull(property, root)) continue;
    else out[key] = isObject(property) ? dropNullOptionals(property, item, root) : item;
  }
  return out;
}
