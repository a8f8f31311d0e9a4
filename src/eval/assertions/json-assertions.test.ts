import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runAssertion } from './run-assertions.js';
import { assertionInput } from './test-support/assertion-input.js';

const person = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
  required: ['name', 'age'],
  additionalProperties: false,
};

describe('is-json and json-schema', () => {
  test('is-json accepts any JSON document, and checks a schema when given one', async () => {
    assert.equal((await runAssertion({ type: 'is-json' }, assertionInput(' [1, 2] '))).pass, true);
    const prose = await runAssertion({ type: 'is-json' }, assertionInput('Sure! {"a": 1}'));
    assert.equal(prose.pass, false);
    assert.match(prose.reason, /not JSON/);
    const wrong = await runAssertion({ type: 'is-json', value: person }, assertionInput('{"name": "Ada"}'));
    assert.equal(wrong.pass, false);
  });

  test('json-schema lists what does not validate', async () => {
    const ok = await runAssertion(
      { type: 'json-schema', value: person },
      assertionInput('{"name":"Ada","age":36}'),
    );
    assert.equal(ok.pass, true);
    const bad = await runAssertion(
      { type: 'json-schema', value: person },
      assertionInput('{"name":"Ada","age":-1,"x":1}'),
    );
    assert.equal(bad.pass, false);
    assert.match(bad.reason, /age: must be >= 0/);
    assert.ok((bad.details as { issues: string[] }).issues.length >= 2);
  });

  test('json-schema without a schema object is an assertion error', async () => {
    const result = await runAssertion({ type: 'json-schema', value: 'person.json' }, assertionInput('{}'));
    assert.match(result.error ?? '', /needs a JSON Schema object/);
  });
});
