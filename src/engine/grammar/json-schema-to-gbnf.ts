/**
 * JSON Schema → GBNF, so llama.cpp samples only JSON that matches the schema.
 *
 * We write our own converter because node-llama-cpp's silently drops what it does not know (a
 * `pattern` or `minimum` is ignored, an `anyOf` becomes `null`), and an unenforced schema must
 * never pass for an enforced one. Everything below is either enforced exactly, enforced more
 * strictly than the schema asks (the output still validates), or refused with
 * `UnsupportedSchemaError` naming the keyword and where it is.
 *
 * Enforced: type (and type lists), const, enum (any JSON values), anyOf/oneOf (as alternatives),
 * allOf of objects (merged), $ref into the same document (recursion too), properties/required,
 * additionalProperties (false, true or a schema), items/prefixItems, minItems/maxItems,
 * minLength/maxLength, pattern (see regex-to-gbnf), format (date, time, date-time, uuid, email, ipv4,
 * uri), integer minimum/maximum/exclusive*, number bounds that are integers ≥ 0, nullable.
 * Stricter than asked: properties appear in declared order; without `additionalProperties` an object
 * with `properties` gets no extra keys; oneOf is not checked for exclusivity; prefixItems are a fixed
 * tuple; numbers have at most 15 integer and 16 fraction digits.
 *
 * One visitor over the JSON Schema vocabulary (~400 lines): the keywords share one rule table and
 * interact (type lists, nullable, allOf merging), so splitting it per keyword would scatter that.
 *
 * @example
 * const gbnf = jsonSchemaToGbnf({ type: 'object', properties: { n: { type: 'integer', minimum: 1 } }, required: ['n'] });
 */
import type { JsonSchema } from '../../core/chat-request.js';
import {
  FORMATS,
  isAnnotation,
  isAnnotationFormat,
  literal,
  PRIMITIVE_DEPENDENCIES,
  PRIMITIVES,
} from './gbnf-primitives.js';
import { integerRangeGbnf } from './integer-range.js';
import { RegexFeatureError, regexToGbnf } from './regex-to-gbnf.js';

export class UnsupportedSchemaError extends Error {
  override name = 'UnsupportedSchemaError';
  constructor(
    /** The keyword or construct, e.g. `uniqueItems` or `pattern (backreference)`. */
    readonly feature: string,
    /** JSON Pointer of the schema that uses it. */
    readonly path: string,
  ) {
    super(`"${feature}" at ${path || '#'} cannot be enforced by a grammar`);
  }
}

const UNSUPPORTED_KEYWORDS = [
  'not',
  'if',
  'then',
  'else',
  'dependentRequired',
  'dependentSchemas',
  'dependencies',
  'patternProperties',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contains',
  'minContains',
  'maxContains',
  'multipleOf',
  '$dynamicRef',
  '$recursiveRef',
];

/** GBNF for any JSON object (`response_format: json_object`). */
export function jsonObjectGbnf(): string {
  const converter = new Converter({});
  return converter.finish(converter.primitive('object'));
}

/** GBNF whose root matches exactly the JSON texts valid under `schema` (see the module notes). */
export function jsonSchemaToGbnf(schema: JsonSchema | boolean): string {
  const converter = new Converter(schema);
  return converter.finish(converter.visit(schema, '#', 'root-value'));
}

type Schema = Record<string, unknown>;

class Converter {
  private readonly rules = new Map<string, string>();
  private readonly byBody = new Map<string, string>();
  private readonly refs = new Map<string, string>();

  constructor(private readonly root: JsonSchema | boolean) {}

  finish(expression: string): string {
    const lines = [`root ::= ${expression}`];
    for (const [name, body] of this.rules) lines.push(`${name} ::= ${body}`);
    return `${lines.join('\n')}\n`;
  }

  primitive(name: string): string {
    if (!this.rules.has(name)) {
      this.rules.set(name, PRIMITIVES[name]!);
      for (const dependency of PRIMITIVE_DEPENDENCIES[name] ?? []) this.primitive(dependency);
    }
    return name;
  }

  /** A named rule; identical bodies share one rule. */
  private rule(hint: string, body: string): string {
    const existing = this.byBody.get(body);
    if (existing) return existing;
    const base = hint.replace(/[^a-zA-Z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'rule';
    let name = base;
    for (let i = 1; this.rules.has(name) || PRIMITIVES[name] !== undefined; i++) name = `${base}-${i}`;
    this.rules.set(name, body);
    this.byBody.set(body, name);
    return name;
  }

  visit(input: unknown, path: string, hint: string): string {
    if (input === true || (isObject(input) && Object.keys(input).every(isAnnotation)))
      return this.primitive('value');
    if (input === false) throw new UnsupportedSchemaError('false (a schema nothing satisfies)', path);
    if (!isObject(input)) throw new UnsupportedSchemaError(`schema of type ${typeof input}`, path);
    const schema = input;
    for (const keyword of UNSUPPORTED_KEYWORDS)
      if (keyword in schema) throw new UnsupportedSchemaError(keyword, path);
    if (schema.uniqueItems === true) throw new UnsupportedSchemaError('uniqueItems', path);

    if (typeof schema.$ref === 'string') return this.ref(schema.$ref, path);
    if (schema.nullable === true) {
      const { nullable: _nullable, ...rest } = schema;
      return `(${this.visit(rest, path, hint)} | ${this.primitive('null')})`;
    }
    if ('const' in schema) return `${literal(JSON.stringify(schema.const))} ${this.primitive('space')}`;
    if (Array.isArray(schema.enum)) {
      if (schema.enum.length === 0) throw new UnsupportedSchemaError('enum: [] (nothing satisfies it)', path);
      const options = schema.enum.map((value) => literal(JSON.stringify(value)));
      return this.rule(hint, `(${options.join(' | ')}) ${this.primitive('space')}`);
    }
    for (const key of ['anyOf', 'oneOf'] as const) {
      const branches = schema[key];
      if (!Array.isArray(branches)) continue;
      const others = Object.keys(schema).filter((k) => k !== key && !isAnnotation(k));
      if (others.length > 0)
        throw new UnsupportedSchemaError(`${key} combined with ${others.join(', ')}`, path);
      const options = branches.map((branch, i) => this.visit(branch, `${path}/${key}/${i}`, `${hint}-${i}`));
      return this.rule(hint, options.join(' | '));
    }
    if (Array.isArray(schema.allOf)) return this.visit(this.mergeAllOf(schema, path), path, hint);

    const types = Array.isArray(schema.type)
      ? (schema.type as string[])
      : schema.type
        ? [schema.type as string]
        : [];
    if (types.length > 1) {
      const options = types.map((type) => this.visit({ ...schema, type }, path, `${hint}-${type}`));
      return this.rule(hint, options.join(' | '));
    }
    const type = types[0] ?? inferType(schema);
    switch (type) {
      case 'object':
        return this.object(schema, path, hint);
      case 'array':
        return this.array(schema, path, hint);
      case 'string':
        return this.string(schema, path, hint);
      case 'integer':
      case 'number':
        return this.number(schema, type, path, hint);
      case 'boolean':
        return this.primitive('boolean');
      case 'null':
        return this.primitive('null');
      case undefined:
        return this.primitive('value');
      default:
        throw new UnsupportedSchemaError(`type "${type}"`, path);
    }
  }

  private ref(ref: string, path: string): string {
    const known = this.refs.get(ref);
    if (known) return known;
    if (!ref.startsWith('#')) throw new UnsupportedSchemaError(`$ref to another document (${ref})`, path);
    let target: unknown = this.root;
    for (const token of ref.slice(1).split('/').filter(Boolean)) {
      const key = decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
      target = isObject(target) ? target[key] : undefined;
    }
    if (target === undefined) throw new UnsupportedSchemaError(`$ref to a missing definition (${ref})`, path);
    // Reserve the name first: a recursive schema refers to itself while its body is being built.
    const name = this.rule(`ref-${ref.split('/').pop() || 'root'}`, `"__pending ${ref}"`);
    this.refs.set(ref, name);
    const body = this.visit(target, ref, `${name}-value`);
    this.byBody.delete(`"__pending ${ref}"`);
    this.rules.set(name, body);
    return name;
  }

  private mergeAllOf(schema: Schema, path: string): Schema {
    const { allOf, ...rest } = schema;
    const merged: Schema = { ...rest, properties: { ...(rest.properties as Schema) } };
    const required = new Set<string>((rest.required as string[]) ?? []);
    for (const [i, part] of (allOf as unknown[]).entries()) {
      const resolved = isObject(part) && typeof part.$ref === 'string' ? this.resolve(part.$ref) : part;
      if (!isObject(resolved) || !(resolved.properties || resolved.type === 'object'))
        throw new UnsupportedSchemaError('allOf of schemas other than objects', `${path}/allOf/${i}`);
      Object.assign(merged.properties as Schema, resolved.properties);
      for (const name of (resolved.required as string[]) ?? []) required.add(name);
      if (resolved.additionalProperties !== undefined)
        merged.additionalProperties = resolved.additionalProperties;
    }
    merged.type = 'object';
    merged.required = [...required];
    return merged;
  }

  private resolve(ref: string): unknown {
    let target: unknown = this.root;
    for (const token of ref.slice(1).split('/').filter(Boolean))
      target = isObject(target) ? target[token] : undefined;
    return target;
  }

  private object(schema: Schema, path: string, hint: string): string {
    const properties: Schema = isObject(schema.properties) ? { ...schema.properties } : {};
    const additional = schema.additionalProperties;
    if (Object.keys(properties).length === 0 && (additional === undefined || additional === true))
      return this.primitive('object');
    const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
    for (const name of required) if (!(name in properties)) properties[name] = true;
    const space = this.primitive('space');
    const kv = (name: string, sub: unknown) =>
      `${literal(JSON.stringify(name))} ${space} ":" ${space} ${this.visit(sub, `${path}/properties/${escapePointer(name)}`, `${hint}-${name}`)}`;
    const requiredKvs = Object.keys(properties)
      .filter((n) => required.has(n))
      .map((n) => kv(n, properties[n]));
    const optionalKvs = Object.keys(properties)
      .filter((n) => !required.has(n))
      .map((n) => kv(n, properties[n]));
    const extraKv =
      additional === undefined || additional === false
        ? undefined
        : `${this.primitive('string')} ":" ${space} ${this.visit(additional, `${path}/additionalProperties`, `${hint}-additional`)}`;

    const count = requiredKvs.length + optionalKvs.length;
    const minProperties = typeof schema.minProperties === 'number' ? schema.minProperties : 0;
    if (minProperties > requiredKvs.length) throw new UnsupportedSchemaError('minProperties', path);
    if (typeof schema.maxProperties === 'number' && (schema.maxProperties < count || extraKv))
      throw new UnsupportedSchemaError('maxProperties', path);

    const tail = (from: number) =>
      optionalKvs
        .slice(from)
        .map((item) => `("," ${space} ${item})?`)
        .concat(extraKv ? [`("," ${space} ${extraKv})*`] : [])
        .join(' ');
    let inner: string;
    if (requiredKvs.length > 0) {
      inner = [requiredKvs.join(` "," ${space} `), tail(0)].filter(Boolean).join(' ');
    } else {
      const starts = optionalKvs.map((item, i) => [item, tail(i + 1)].filter(Boolean).join(' '));
      if (extraKv) starts.push(`${extraKv} ("," ${space} ${extraKv})*`);
      inner = starts.length > 0 ? `(${starts.join(' | ')})?` : '';
    }
    return this.rule(hint, `"{" ${space} ${inner} "}" ${space}`.replace(/\s+/g, ' '));
  }

  private array(schema: Schema, path: string, hint: string): string {
    const space = this.primitive('space');
    const open = `"[" ${space}`;
    const close = `"]" ${space}`;
    if (Array.isArray(schema.prefixItems)) {
      if (schema.items !== undefined && schema.items !== false)
        throw new UnsupportedSchemaError('prefixItems followed by more items', path);
      const items = schema.prefixItems.map((item, i) =>
        this.visit(item, `${path}/prefixItems/${i}`, `${hint}-${i}`),
      );
      return this.rule(hint, `${open} ${items.join(` "," ${space} `)} ${close}`);
    }
    const item =
      schema.items === undefined
        ? this.primitive('value')
        : this.visit(schema.items, `${path}/items`, `${hint}-item`);
    const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
    const max = typeof schema.maxItems === 'number' ? schema.maxItems : undefined;
    if (max !== undefined && max < min) throw new UnsupportedSchemaError('maxItems below minItems', path);
    if (max === 0) return this.rule(hint, `${open} ${close}`);
    const more = this.repeat(
      `"," ${space} ${item}`,
      Math.max(min - 1, 0),
      max === undefined ? undefined : max - 1,
      hint,
    );
    const list = `${item}${more ? ` ${more}` : ''}`;
    return this.rule(hint, `${open} ${min === 0 ? `(${list})?` : list} ${close}`);
  }

  private string(schema: Schema, path: string, hint: string): string {
    const char = this.primitive('char');
    const space = this.primitive('space');
    const hasLength = schema.minLength !== undefined || schema.maxLength !== undefined;
    let content: string;
    if (typeof schema.format === 'string' && !isAnnotationFormat(schema.format)) {
      const format = FORMATS[schema.format];
      if (!format) throw new UnsupportedSchemaError(`format "${schema.format}"`, path);
      if (hasLength || schema.pattern !== undefined)
        throw new UnsupportedSchemaError('format combined with pattern or minLength/maxLength', path);
      content = format;
    } else if (typeof schema.pattern === 'string') {
      if (hasLength) throw new UnsupportedSchemaError('pattern combined with minLength/maxLength', path);
      try {
        content = regexToGbnf(schema.pattern, char);
      } catch (error) {
        if (error instanceof RegexFeatureError)
          throw new UnsupportedSchemaError(`pattern (${error.message})`, path);
        throw error;
      }
    } else {
      const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
      const max = typeof schema.maxLength === 'number' ? schema.maxLength : undefined;
      if (!hasLength) return this.primitive('string');
      content = this.repeat(char, min, max, `${hint}-chars`);
    }
    return this.rule(hint, `"\\"" ${content} "\\"" ${space}`);
  }

  /**
   * `expression` repeated min..max times, '' when max is 0. Large counts are built from named chunks
   * of 100 (`chunk ::= x{100}`, `upto-n ::= x{0,99} | chunk upto-(n-100)`), because llama.cpp expands
   * `x{m,n}` into rules and rejects big expansions — a `maxLength: 5000` must still be exact.
   */
  private repeat(expression: string, min: number, max: number | undefined, hint: string): string {
    if (max === 0) return '';
    const item = /^[a-zA-Z0-9-]+$/.test(expression) ? expression : `(${expression})`;
    const small = (lo: number, hi: number | undefined): string => {
      if (hi === undefined) return lo === 0 ? `${item}*` : lo === 1 ? `${item}+` : `${item}{${lo},}`;
      if (hi === 0) return '';
      if (lo === 0 && hi === 1) return `${item}?`;
      return lo === hi ? `${item}{${lo}}` : `${item}{${lo},${hi}}`;
    };
    if (min < REPEAT_CHUNK && (max === undefined || max < REPEAT_CHUNK)) return small(min, max);
    const chunk = this.rule(`${hint}-x${REPEAT_CHUNK}`, `${item}{${REPEAT_CHUNK}}`);
    const required = Math.floor(min / REPEAT_CHUNK);
    const parts: string[] = Array(required).fill(chunk);
    const restMin = min - required * REPEAT_CHUNK;
    if (max === undefined) {
      parts.push(small(restMin, undefined));
    } else {
      if (restMin > 0) parts.push(small(restMin, restMin));
      // upto(n) = x{0,99} | chunk upto(n-100): 0..n more items, with one choice point per chunk.
      const optional = max - min;
      let upto = small(0, optional % REPEAT_CHUNK);
      for (let k = REPEAT_CHUNK; k <= optional; k += REPEAT_CHUNK) {
        const rest = (optional % REPEAT_CHUNK) + k - REPEAT_CHUNK;
        upto = this.rule(
          `${hint}-upto-${rest + REPEAT_CHUNK}`,
          `${small(0, REPEAT_CHUNK - 1)} | ${chunk}${upto ? ` ${upto}` : ''}`,
        );
      }
      if (upto) parts.push(upto);
    }
    return parts.filter(Boolean).join(' ');
  }

  private number(schema: Schema, type: 'integer' | 'number', path: string, hint: string): string {
    const bound = (key: string) => (typeof schema[key] === 'number' ? (schema[key] as number) : undefined);
    let min = bound('minimum');
    let max = bound('maximum');
    const exclusiveMin = bound('exclusiveMinimum');
    const exclusiveMax = bound('exclusiveMaximum');
    if (min === undefined && max === undefined && exclusiveMin === undefined && exclusiveMax === undefined)
      return this.primitive(type);
    const space = this.primitive('space');
    if (type === 'integer') {
      if (exclusiveMin !== undefined) min = Math.max(min ?? -Infinity, Math.floor(exclusiveMin) + 1);
      if (exclusiveMax !== undefined) max = Math.min(max ?? Infinity, Math.ceil(exclusiveMax) - 1);
      const lo = min === undefined ? undefined : Math.ceil(min);
      const hi = max === undefined ? undefined : Math.floor(max);
      if (lo !== undefined && hi !== undefined && lo > hi)
        throw new UnsupportedSchemaError('an empty integer range', path);
      return this.rule(hint, `${integerRangeGbnf(lo, hi)} ${space}`);
    }
    // Numbers: integer bounds ≥ 0 only (integer part in range, any fraction below the maximum).
    if (exclusiveMin !== undefined || exclusiveMax !== undefined)
      throw new UnsupportedSchemaError('exclusiveMinimum/exclusiveMaximum on type "number"', path);
    if (
      (min !== undefined && (!Number.isInteger(min) || min < 0)) ||
      (max !== undefined && !Number.isInteger(max))
    )
      throw new UnsupportedSchemaError('minimum/maximum on type "number" other than integers ≥ 0', path);
    if (min === undefined)
      throw new UnsupportedSchemaError('maximum on type "number" without minimum ≥ 0', path);
    const fraction = `("." ${this.primitive('decimal-part')})?`;
    if (max === undefined) return this.rule(hint, `${integerRangeGbnf(min, undefined)} ${fraction} ${space}`);
    if (max < min) throw new UnsupportedSchemaError('an empty number range', path);
    const below = max > min ? `${integerRangeGbnf(min, max - 1)} ${fraction} | ` : '';
    return this.rule(hint, `(${below}"${max}" ("." [0]{1,16})?) ${space}`);
  }
}

/** Counts up to this are written as `x{m,n}`; llama.cpp refuses repetitions that expand past ~2000 rules. */
const REPEAT_CHUNK = 100;

function inferType(schema: Schema): string | undefined {
  if (
    schema.properties !== undefined ||
    schema.additionalProperties !== undefined ||
    schema.required !== undefined
  )
    return 'object';
  if (schema.items !== undefined || schema.prefixItems !== undefined) return 'array';
  if (schema.pattern !== undefined || schema.minLength !== undefined || schema.maxLength !== undefined)
    return 'string';
  if (schema.minimum !== undefined || schema.maximum !== undefined) return 'number';
  return undefined;
}

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapePointer(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}
