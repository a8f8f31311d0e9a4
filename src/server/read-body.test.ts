import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConduitError } from '../core/errors.js';
import { checkJsonDepth, MAX_JSON_DEPTH, parseJsonBody } from './read-body.js';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('checkJsonDepth', () => {
  test('accepts nesting up to the limit and refuses one level more with a 400 on body', () => {
    checkJsonDepth(nested(MAX_JSON_DEPTH));
    checkJsonDepth(`{"a":${nested(MAX_JSON_DEPTH - 1)}}`);
    assert.throws(
      () => checkJsonDepth(nested(MAX_JSON_DEPTH + 1)),
      (e) => e instanceof ConduitError && e.code === 'bad_request' && e.param === 'body',
    );
    assert.throws(() => checkJsonDepth(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`), /levels deep/);
  });

  test('brackets inside strings, including after escaped quotes, do not count', () => {
    checkJsonDepth(JSON.stringify({ text: '['.repeat(1_000) }));
    checkJsonDepth(JSON.stringify({ text: `a\\"${'{'.repeat(1_000)}\\` }));
    checkJsonDepth(JSON.stringify(['"', '[[[[', '\\', '{{{{']), 2);
  });

  test('siblings do not add up: depth is the deepest path, not the bracket count', () => {
    checkJsonDepth(JSON.stringify(Array.from({ length: 1_000 }, () => [[1]])), 3);
  });
});

describe('parseJsonBody', () => {
  const refused = (bytes: Uint8Array, message: RegExp) =>
    assert.throws(
      () => parseJsonBody(bytes),
      (e) =>
        e instanceof ConduitError &&
        e.code === 'bad_request' &&
        e.param === 'body' &&
        message.test(e.message),
    );

  test('invalid UTF-8 is a 400 on body, not text with U+FFFD in it', () => {
    // A lone continuation byte, an overlong "/" and a UTF-16 body (its BOM is not UTF-8).
    refused(
      Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0x80]), Buffer.from('"}')]),
      /not valid UTF-8/,
    );
    refused(Buffer.from([0x22, 0xc0, 0xaf, 0x22]), /not valid UTF-8/);
    refused(Buffer.from('\ufeff{"a":1}', 'utf16le'), /not valid UTF-8/);
  });

  test('valid UTF-8, with or without a BOM, parses', () => {
    assert.deepEqual(parseJsonBody(Buffer.from('{"city":"Zürich 東京 🚀"}')), { city: 'Zürich 東京 🚀' });
    assert.deepEqual(parseJsonBody(Buffer.from('\ufeff{"a":1}')), { a: 1 });
  });

  test('empty, malformed or too deep bodies are 400s on body that say which', () => {
    refused(Buffer.from(' \n'), /empty/);
    refused(Buffer.from('{"model":'), /not valid JSON/);
    refused(Buffer.from(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`), /levels deep/);
  });
});
