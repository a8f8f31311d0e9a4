/**
 * The JSON Schema → GBNF converter: what it refuses (by keyword and location), exact integer ranges,
 * and grammars that llama.cpp's parser accepts. Sampling under these grammars is tested on the
 * generated model in structured-output.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getLlamaRuntime } from '../runtime/llama-runtime.js';
import { integerRangeGbnf } from './integer-range.js';
import { jsonObjectGbnf, jsonSchemaToGbnf, UnsupportedSchemaError } from './json-schema-to-gbnf.js';
import { regexToGbnf } from './regex-to-gbnf.js';

/** A GBNF expression made of literals, classes, groups, | and {n} → the equivalent RegExp. */
function gbnfToRegExp(expression: string): RegExp {
  let out = '';
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i]!;
    if (c === '"') {
      const end = expression.indexOf('"', i + 1);
      out += expression.slice(i + 1, end).replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
      i = end;
    } else if (c !== ' ') out += c;
  }
  return new RegExp(`^(?:${out})$`);
}

describe('integerRangeGbnf', () => {
  const ranges: [number | undefined, number | undefined][] = [
    [0, 0],
    [1, 12],
    [0, 255],
    [-40, 40],
    [-999, -17],
    [7, 1234],
    [100, undefined],
    [undefined, -5],
    [99, 100],
  ];
  for (const [min, max] of ranges) {
    test(`[${min ?? '-∞'}, ${max ?? '∞'}] matches exactly its integers, without leading zeros`, () => {
      const pattern = gbnfToRegExp(integerRangeGbnf(min, max));
      const lo = (min ?? (max ?? 0) - 3000) - 60;
      const hi = (max ?? (min ?? 0) + 3000) + 60;
      for (let n = lo; n <= hi; n++) {
        const inRange = (min === undefined || n >= min) && (max === undefined || n <= max);
        assert.equal(pattern.test(String(n)), inRange, `${n} with ${pattern}`);
      }
      assert.equal(pattern.test('007'), false);
      assert.equal(pattern.test('-0'), false);
    });
  }
});

describe('jsonSchemaToGbnf refusals', () => {
  const refused: [string, unknown, string, string][] = [
    ['uniqueItems', { type: 'array', uniqueItems: true }, 'uniqueItems', '#'],
    ['not', { type: 'object', properties: { a: { not: { type: 'string' } } } }, 'not', '#/properties/a'],
    ['patternProperties', { type: 'object', patternProperties: { '^x': {} } }, 'patternProperties', '#'],
    ['multipleOf', { type: 'integer', multipleOf: 5 }, 'multipleOf', '#'],
    ['if/then', JSON.parse('{"if":{"type":"string"},"then":{"minLength":2}}'), 'if', '#'],
    ['unknown format', { type: 'string', format: 'hostname' }, 'format "hostname"', '#'],
    [
      'lookahead',
      { type: 'string', pattern: '^(?=a)a+$' },
      'pattern (lookaround or inline flags "(?=a…)")',
      '#',
    ],
    ['backreference', { type: 'string', pattern: '^(a)\\1$' }, 'pattern (backreference)', '#'],
    [
      'fractional number bound',
      { type: 'number', minimum: 0.5 },
      'minimum/maximum on type "number" other than integers ≥ 0',
      '#',
    ],
    [
      'external $ref',
      { $ref: 'https://example.com/s.json' },
      '$ref to another document (https://example.com/s.json)',
      '#',
    ],
    [
      'false schema',
      { type: 'object', properties: { a: false } },
      'false (a schema nothing satisfies)',
      '#/properties/a',
    ],
  ];
  for (const [name, schema, feature, path] of refused) {
    test(`${name} is refused, naming the feature and where it is`, () => {
      assert.throws(
        () => jsonSchemaToGbnf(schema as Record<string, unknown>),
        (error: unknown) => {
          assert.ok(error instanceof UnsupportedSchemaError);
          assert.equal(error.feature, feature);
          assert.equal(error.path, path);
          return true;
        },
      );
    });
  }

  test('annotations are ignored and do not count as constraints', () => {
    const gbnf = jsonSchemaToGbnf({
      title: 'T',
      description: 'd',
      $schema: 'x',
      type: 'boolean',
      examples: [true],
    });
    assert.match(gbnf, /^root ::= boolean$/m);
  });
});

describe('grammars llama.cpp accepts', () => {
  const schemas: Record<string, unknown> = {
    recursive: {
      $defs: {
        node: {
          type: 'object',
          properties: {
            value: { type: 'integer' },
            children: { type: 'array', items: { $ref: '#/$defs/node' }, maxItems: 2 },
          },
          required: ['value'],
        },
      },
      $ref: '#/$defs/node',
    },
    optionalOnly: {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'number' }, c: { type: 'boolean' } },
    },
    record: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
    mixedEnum: { enum: ['a', 1, null, true, { x: [1, 'two'] }] },
    tuple: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false },
    formats: {
      type: 'object',
      properties: Object.fromEntries(
        ['date', 'time', 'date-time', 'uuid', 'email', 'ipv4', 'uri'].map((f) => [
          f,
          { type: 'string', format: f },
        ]),
      ),
      required: ['date'],
    },
    allOf: {
      allOf: [
        { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
        { properties: { b: { const: 2 } } },
      ],
    },
    nullable: { type: 'string', nullable: true, maxLength: 3 },
    patterns: { type: 'string', pattern: '^[^"\\\\]{1,3}"\\\\.\\s?[\\d\\w-]+$' },
    longBounds: {
      type: 'object',
      properties: {
        text: { type: 'string', minLength: 250, maxLength: 5000 },
        list: { type: 'array', items: { type: 'integer' }, minItems: 150, maxItems: 420 },
        open: { type: 'string', minLength: 1234 },
      },
    },
  };
  test('every converted schema parses', async () => {
    const llama = await getLlamaRuntime(false);
    for (const [name, schema] of Object.entries(schemas)) {
      const gbnf = jsonSchemaToGbnf(schema as Record<string, unknown>);
      await assert.doesNotReject(llama.createGrammar({ grammar: gbnf }), `${name}:\n${gbnf}`);
    }
    await assert.doesNotReject(llama.createGrammar({ grammar: jsonObjectGbnf() }));
  });

  test('regexToGbnf spells JSON escapes for quotes, backslashes and control characters', () => {
    assert.equal(regexToGbnf('^"$', 'c'), '"\\\\\\""');
    assert.equal(regexToGbnf('^\\n$', 'c'), '"\\\\n"');
    assert.equal(
      regexToGbnf('abc', 'c'),
      'c* [a] [b] [c] c*',
      'an unanchored pattern may have text around it',
    );
  });
});
