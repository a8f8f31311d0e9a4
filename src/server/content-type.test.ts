import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, test } from 'node:test';
import { ConduitError } from '../core/errors.js';
import { requireJsonContentType } from './content-type.js';

const withType = (type?: string) =>
  ({ headers: type === undefined ? {} : { 'content-type': type } }) as IncomingMessage;

describe('requireJsonContentType', () => {
  test('accepts JSON with parameters, in any case, and +json types', () => {
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'Application/JSON',
      'application/merge-patch+json',
    ]) {
      assert.doesNotThrow(() => requireJsonContentType(withType(type)), type);
    }
  });

  test('refuses what a browser may send cross-site without a preflight, and no type at all', () => {
    for (const type of [
      undefined,
      '',
      'text/plain',
      'text/plain; charset=utf-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonp',
      'application/json-seq',
    ]) {
      assert.throws(
        () => requireJsonContentType(withType(type)),
        (error: unknown) =>
          ConduitError.isInstance(error) &&
          error.status === 415 &&
          error.param === 'content-type' &&
          /application\/json/.test(error.message),
        String(type),
      );
    }
  });
});
