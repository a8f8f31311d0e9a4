import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { parseObjectText, stripCodeFences, stripOpeningFence } from './parse-object-text.js';
import { toJsonSchema } from './schema.js';

describe('stripCodeFences', () => {
  test('unwraps a fenced block with or without a language, and prose around it', () => {
    assert.equal(stripCodeFences('```json\n{"a":1}\n```'), '{"a":1}');
    assert.equal(stripCodeFences('  ```\n{"a":1}\n```\n'), '{"a":1}');
    assert.equal(stripCodeFences('Here you go:\n```json\n{"a":1}\n```\nEnjoy.'), '{"a":1}');
    assert.equal(stripCodeFences('```json\n{"a":1}'), '{"a":1}', 'an unclosed fence (cut-off output)');
  });

  test('leaves JSON alone, even when a string inside it holds a fence', () => {
    const json = '{"code":"```js\\nlet a\\n```"}';
    assert.equal(stripCodeFences(json), json);
    assert.equal(stripCodeFences(`\`\`\`json\n${json}\n\`\`\``), json);
  });

  test('stripOpeningFence only removes a complete opening fence line', () => {
    assert.equal(stripOpeningFence('```json\n{"a'), '{"a');
    assert.equal(stripOpeningFence('```js'), '```js');
  });
});

describe('parseObjectText', () => {
  const schema = z.object({ a: z.number() });
  const jsonSchema = toJsonSchema(schema);

  test('parses, validates, and takes the object out of surrounding prose', () => {
    assert.deepEqual(parseObjectText(schema, jsonSchema, 'Sure! {"a": 1} Hope that helps.'), {
      ok: true,
      value: { a: 1 },
    });
  });

  test('reports empty, non-JSON and invalid output as issues', () => {
    assert.deepEqual(parseObjectText(schema, jsonSchema, '  '), {
      ok: false,
      issues: ['the response is empty; expected a JSON object'],
    });
    const notJson = parseObjectText(schema, jsonSchema, '{"a": ');
    assert.ok(!notJson.ok && /^the response is not valid JSON/.test(notJson.issues[0]!));
    const invalid = parseObjectText(schema, jsonSchema, '{"a": "1"}');
    assert.ok(!invalid.ok && /^a: /.test(invalid.issues[0]!));
  });
});
