import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parsePartialJson } from './partial-json.js';

// A realistic structured-output answer: nesting, escapes, unicode, numbers of every shape, literals.
const OBJECT = {
  title: 'Crème brûlée — "classic" 🍮',
  servings: 4,
  rating: -4.75e-1,
  vegetarian: true,
  source: null,
  tags: ['dessert', 'french', 'baked\\custard'],
  ingredients: [
    { name: 'cream', amount: 500, unit: 'ml' },
    { name: 'sugar', amount: 1.5e2, unit: 'g', note: 'line1\nline2\ttab \u0001 \u2028' },
  ],
  steps: [[1, 'Heat'], [2, 'Whisk'], []],
  empty: {},
};

function grows(before: unknown, after: unknown, path = '$'): void {
  if (typeof before === 'string') {
    assert.equal(typeof after, 'string', path);
    assert.ok((after as string).startsWith(before), `${path}: "${after}" does not extend "${before}"`);
  } else if (Array.isArray(before)) {
    assert.ok(Array.isArray(after), path);
    assert.ok(after.length >= before.length, `${path} shrank`);
    for (const [i, item] of before.entries()) grows(item, after[i], `${path}[${i}]`);
  } else if (typeof before === 'object' && before !== null) {
    assert.equal(typeof after, 'object', path);
    for (const [key, value] of Object.entries(before)) {
      assert.ok(Object.hasOwn(after as object, key), `${path}.${key} disappeared`);
      grows(value, (after as Record<string, unknown>)[key], `${path}.${key}`);
    }
  } else {
    assert.equal(after, before, path);
  }
}

describe('parsePartialJson', () => {
  for (const [label, text] of [
    ['compact', JSON.stringify(OBJECT)],
    ['pretty', JSON.stringify(OBJECT, null, 2)],
    [
      'escaped unicode',
      JSON.stringify(OBJECT).replace(
        /[^\x20-\x7e]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      ),
    ],
  ] as const) {
    test(`every prefix of a real object (${label}) parses, and values only grow`, () => {
      let previous: unknown;
      for (let end = 0; end <= text.length; end++) {
        const { value, complete } = parsePartialJson(text.slice(0, end));
        if (previous !== undefined) grows(previous, value, `prefix ${end}`);
        if (value !== undefined) previous = value;
        assert.equal(complete, end === text.length, `complete at ${end}`);
      }
      assert.deepEqual(previous, OBJECT);
      assert.deepEqual(parsePartialJson(`${text}\n  `), { value: OBJECT, complete: true });
    });
  }

  test('closes strings, drops a trailing number, literal or valueless key, closes containers', () => {
    const cases: [string, unknown][] = [
      ['', undefined],
      ['  ', undefined],
      ['{', {}],
      ['{"na', {}],
      ['{"name"', {}],
      ['{"name":', {}],
      ['{"name": "Ad', { name: 'Ad' }],
      ['{"name": "A\\', { name: 'A' }],
      ['{"name": "A\\u00', { name: 'A' }],
      ['{"name": "A\\u00e9', { name: 'Aé' }],
      ['{"n": 12', {}],
      ['{"n": 12,', { n: 12 }],
      ['{"n": -', {}],
      ['{"n": 1.', {}],
      ['{"n": 1e', {}],
      ['{"ok": tr', {}],
      ['{"ok": true', { ok: true }],
      ['{"a": [1, 2', { a: [1] }],
      ['{"a": [1, 2]', { a: [1, 2] }],
      ['{"a": [{"b": "c', { a: [{ b: 'c' }] }],
      ['{"a": {"b": {', { a: { b: {} } }],
      ['[', []],
      ['["x", nu', ['x']],
      ['"hel', 'hel'],
    ];
    for (const [text, expected] of cases) {
      assert.deepEqual(parsePartialJson(text), { value: expected, complete: false }, text);
    }
  });

  test('complete only for a whole JSON text', () => {
    assert.deepEqual(parsePartialJson('{"a":1}'), { value: { a: 1 }, complete: true });
    assert.deepEqual(parsePartialJson('"x"'), { value: 'x', complete: true });
    assert.deepEqual(parsePartialJson('12'), { value: 12, complete: true });
    assert.deepEqual(parsePartialJson('null'), { value: null, complete: true });
    assert.deepEqual(parsePartialJson('{"a":1} trailing'), { value: { a: 1 }, complete: false });
  });

  test('stops at the first character that cannot be JSON, keeping what came before', () => {
    assert.deepEqual(parsePartialJson('{"a": 1, "b": oops}'), { value: { a: 1 }, complete: false });
    assert.deepEqual(parsePartialJson('{"a": "x" "b": 2}'), { value: { a: 'x' }, complete: false });
    assert.deepEqual(parsePartialJson('Sure! {"a": 1}'), { value: undefined, complete: false });
    assert.deepEqual(parsePartialJson('{"a": "\\q"}'), { value: { a: '' }, complete: false });
  });

  test('never throws on arbitrary input', () => {
    const alphabet = '{}[]",:\\ u0123456789-+.eEtruefalsn\n';
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let n = 0; n < 2000; n++) {
      let text = '';
      const length = Math.floor(random() * 30);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      assert.doesNotThrow(() => parsePartialJson(text), text);
    }
  });
});
