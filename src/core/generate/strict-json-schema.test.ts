import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { toJsonSchema } from './schema.js';
import { dropNullOptionals, toStrictJsonSchema } from './strict-json-schema.js';

const Person = z.object({
  name: z.string(),
  nickname: z.string().optional(),
  spouse: z.string().nullable(),
  address: z.object({ city: z.string(), zip: z.string().optional() }).optional(),
  tags: z.array(z.object({ label: z.string(), weight: z.number().default(1) })),
  pet: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('cat') }),
    z.object({ kind: z.literal('dog'), breed: z.string().optional() }),
  ]),
});

describe('toStrictJsonSchema', () => {
  const { schema, strict } = toStrictJsonSchema(toJsonSchema(Person));

  test('every object requires all its properties and forbids others', () => {
    assert.equal(strict, true);
    assert.equal(schema.$schema, undefined);
    assert.deepEqual(schema.required, ['name', 'nickname', 'spouse', 'address', 'tags', 'pet']);
    assert.equal(schema.additionalProperties, false);
    const props = schema.properties as Record<string, Record<string, unknown>>;
    const address = props.address!;
    assert.deepEqual(address.type, ['object', 'null']);
    assert.deepEqual(address.required, ['city', 'zip']);
    assert.equal(address.additionalProperties, false);
    const item = (props.tags!.items ?? {}) as Record<string, unknown>;
    assert.deepEqual(item.required, ['label', 'weight']);
  });

  test('optional fields become nullable; nullable ones stay as they are; defaults are dropped', () => {
    const props = schema.properties as Record<string, Record<string, unknown>>;
    assert.deepEqual(props.nickname, { type: ['string', 'null'] });
    assert.deepEqual(props.spouse, { type: ['string', 'null'] });
    const item = props.tags!.items as { properties: Record<string, unknown> };
    assert.deepEqual(item.properties.weight, { type: ['number', 'null'] });
  });

  test('oneOf (zod discriminated unions) becomes anyOf, which strict mode supports', () => {
    const pet = (schema.properties as Record<string, Record<string, unknown>>).pet!;
    assert.equal(pet.oneOf, undefined);
    assert.equal((pet.anyOf as unknown[]).length, 2);
  });

  test('records and untyped values turn strict off instead of producing a schema OpenAI rejects', () => {
    assert.equal(
      toStrictJsonSchema(toJsonSchema(z.object({ m: z.record(z.string(), z.number()) }))).strict,
      false,
    );
    assert.equal(toStrictJsonSchema(toJsonSchema(z.object({ a: z.any() }))).strict, false);
  });

  test('does not modify its input', () => {
    const input = toJsonSchema(Person);
    const before = JSON.stringify(input);
    toStrictJsonSchema(input);
    assert.equal(JSON.stringify(input), before);
  });
});

describe('dropNullOptionals', () => {
  const jsonSchema = toJsonSchema(Person);

  test('removes nulls of optional, non-nullable fields at every depth, keeps real nulls', () => {
    const value = {
      name: 'Ada',
      nickname: null,
      spouse: null,
      address: { city: 'London', zip: null },
      tags: [{ label: 'math', weight: null }],
      pet: { kind: 'dog', breed: null },
    };
    const cleaned = dropNullOptionals(jsonSchema, value);
    assert.deepEqual(cleaned, {
      name: 'Ada',
      spouse: null,
      address: { city: 'London' },
      tags: [{ label: 'math' }],
      pet: { kind: 'dog' },
    });
    assert.deepEqual(Person.parse(cleaned).tags, [{ label: 'math', weight: 1 }]);
  });

  test('follows $ref of recursive schemas', () => {
    interface Node {
      name: string;
      children?: Node[];
    }
    const NodeSchema: z.ZodType<Node> = z.object({
      name: z.string(),
      get children() {
        return z.array(NodeSchema).optional();
      },
    });
    const cleaned = dropNullOptionals(toJsonSchema(NodeSchema), {
      name: 'a',
      children: [{ name: 'b', children: null }],
    });
    assert.deepEqual(cleaned, { name: 'a', children: [{ name: 'b' }] });
  });
});
