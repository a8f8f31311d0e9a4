import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runAssertion } from './run-assertions.js';
import { assertionInput } from './test-support/assertion-input.js';

const check = (output: string, spec: Parameters<typeof runAssertion>[0]) =>
  runAssertion(spec, assertionInput(output));

describe('text assertions', () => {
  test('equals compares trimmed text, or JSON when the value is an object', async () => {
    assert.equal((await check(' Paris\n', { type: 'equals', value: 'Paris' })).pass, true);
    assert.equal((await check('paris', { type: 'equals', value: 'Paris' })).pass, false);
    assert.equal(
      (await check('paris', { type: 'equals', value: 'Paris', case_insensitive: true })).pass,
      true,
    );
    assert.equal(
      (await check('{ "ok" : true, "n": [1] }', { type: 'equals', value: { n: [1], ok: true } })).pass,
      true,
    );
    const notJson = await check('ok', { type: 'equals', value: { ok: true } });
    assert.equal(notJson.pass, false);
    assert.match(notJson.reason, /not JSON/);
  });

  test('contains, contains-any and contains-all, with case-insensitive forms', async () => {
    assert.equal((await check('The capital is Paris.', { type: 'contains', value: 'Paris' })).pass, true);
    assert.equal((await check('The capital is paris.', { type: 'contains', value: 'Paris' })).pass, false);
    assert.equal((await check('The capital is paris.', { type: 'icontains', value: 'PARIS' })).pass, true);
    assert.equal(
      (await check('the capital is paris', { type: 'contains', value: 'Paris', case_insensitive: true }))
        .pass,
      true,
    );
    assert.equal(
      (await check('Lyon or Paris', { type: 'contains-any', value: ['Rome', 'Paris'] })).pass,
      true,
    );
    assert.equal((await check('Lyon', { type: 'contains-any', value: ['Rome', 'Paris'] })).pass, false);
    const all = await check('Paris, France', { type: 'contains-all', value: ['Paris', 'Europe', 'France'] });
    assert.equal(all.pass, false);
    assert.match(all.reason, /lacks "Europe"/);
    assert.equal(
      (await check('PARIS, FRANCE', { type: 'icontains-all', value: ['paris', 'france'] })).pass,
      true,
    );
    assert.equal((await check('rome', { type: 'icontains-any', value: ['ROME'] })).pass, true);
  });

  test('starts-with ignores leading whitespace; regex takes flags', async () => {
    assert.equal((await check('\n  Answer: 42', { type: 'starts-with', value: 'Answer:' })).pass, true);
    assert.equal((await check('The answer: 42', { type: 'starts-with', value: 'Answer' })).pass, false);
    assert.equal(
      (await check('Total: 42 EUR', { type: 'regex', value: '\\d+ eur$', flags: 'i' })).pass,
      true,
    );
    assert.equal((await check('Total: 42 EUR', { type: 'regex', value: '\\d+ eur$' })).pass, false);
    assert.equal(
      (await check('Total: 42 EUR', { type: 'regex', value: '\\d+ eur$', case_insensitive: true })).pass,
      true,
    );
  });

  test('an invalid regex is an error of the assertion, not a failed output', async () => {
    const result = await check('x', { type: 'regex', value: '(' });
    assert.equal(result.pass, false);
    assert.match(result.error ?? '', /regex "\(" is invalid/);
  });

  test('not- inverts pass and score', async () => {
    const result = await check('The capital is Paris.', { type: 'not-contains', value: 'London' });
    assert.deepEqual([result.pass, result.score, result.type], [true, 1, 'not-contains']);
    assert.match(result.reason, /^not: /);
    const failed = await check('The capital is Paris.', { type: 'not-icontains', value: 'paris' });
    assert.deepEqual([failed.pass, failed.score], [false, 0]);
  });
});
