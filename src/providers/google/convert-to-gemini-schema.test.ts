import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConduitError } from '../../core/errors.js';
import { convertToGeminiSchema } from './convert-to-gemini-schema.js';

describe('convertToGeminiSchema', () => {
  test('drops keywords Gemini rejects and upper-cases types', () => {
    const schema = convertToGeminiSchema({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: false,
      strict: true,
      properties: {
        name: { type: 'string', description: 'Full name', minLength: 1, format: 'email' },
        tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] }, maxItems: 3, uniqueItems: true },
        when: { type: 'string', format: 'date-time' },
      },
      required: ['name'],
    });
    assert.deepEqual(schema, {
      type: 'OBJECT',
      properties: {
        name: { type: 'STRING', description: 'Full name', minLength: 1 },
        tags: { type: 'ARRAY', items: { type: 'STRING', enum: ['a', 'b'] }, maxItems: 3 },
        when: { type: 'STRING', format: 'date-time' },
      },
      required: ['name'],
    });
  });

  test('type arrays and anyOf with null become nullable', () => {
    assert.deepEqual(convertToGeminiSchema({ type: ['integer', 'null'], description: 'age' }), {
      type: 'INTEGER',
      nullable: true,
      description: 'age',
    });
    assert.deepEqual(
      convertToGeminiSchema({ anyOf: [{ type: 'string' }, { type: 'null' }], description: 'd' }),
      {
        type: 'STRING',
        nullable: true,
        description: 'd',
      },
    );
    assert.deepEqual(convertToGeminiSchema({ type: ['string', 'number'] }), {
      anyOf: [{ type: 'STRING' }, { type: 'NUMBER' }],
    });
  });

  test('const becomes a one-value enum; numeric enums become strings with format enum', () => {
    assert.deepEqual(convertToGeminiSchema({ const: 'fixed' }), { type: 'STRING', enum: ['fixed'] });
    assert.deepEqual(convertToGeminiSchema({ type: 'integer', enum: [1, 2] }), {
      type: 'INTEGER',
      enum: ['1', '2'],
      format: 'enum',
    });
    assert.deepEqual(convertToGeminiSchema({ enum: ['x', null] }), {
      type: 'STRING',
      nullable: true,
      enum: ['x'],
    });
  });

  test('local $defs refs are inlined, keeping sibling descriptions', () => {
    const schema = convertToGeminiSchema({
      type: 'object',
      properties: {
        home: { $ref: '#/$defs/address', description: 'Home address' },
        work: { $ref: '#/definitions/address' },
      },
      $defs: {
        address: { type: 'object', properties: { city: { type: 'string' } }, additionalProperties: false },
      },
      definitions: { address: { type: 'object', properties: { city: { type: 'string' } } } },
    });
    assert.deepEqual(schema.properties, {
      home: { type: 'OBJECT', properties: { city: { type: 'STRING' } }, description: 'Home address' },
      work: { type: 'OBJECT', properties: { city: { type: 'STRING' } } },
    });
  });

  test('recursive and remote refs are refused with an unsupported error naming the path', () => {
    const recursive = {
      type: 'object',
      properties: { node: { $ref: '#/$defs/node' } },
      $defs: { node: { type: 'object', properties: { next: { $ref: '#/$defs/node' } } } },
    };
    assert.throws(
      () => convertToGeminiSchema(recursive, 'tools[0].function.parameters'),
      (error: unknown) =>
        ConduitError.isInstance(error) &&
        error.code === 'unsupported' &&
        error.message.includes('tools[0].function.parameters.properties.node.properties.next') &&
        /recursion/.test(error.message),
    );
    assert.throws(
      () => convertToGeminiSchema({ $ref: 'https://example.com/schema.json' }),
      (error: unknown) =>
        ConduitError.isInstance(error) && error.code === 'unsupported' && /\$ref/.test(error.message),
    );
  });
});
