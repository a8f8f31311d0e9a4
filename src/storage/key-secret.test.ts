import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { generateKeySecret, hashKeySecret, keyDisplayPrefix } from './key-secret.js';

test('generated secrets are unique, prefixed, and hash to what the gateway will compute', () => {
  const a = generateKeySecret();
  const b = generateKeySecret();
  assert.notEqual(a.secret, b.secret);
  assert.match(a.secret, /^sk-cdt-[A-Za-z0-9_-]{43}$/);
  assert.equal(a.hash, createHash('sha256').update(a.secret).digest('hex'));
  assert.equal(hashKeySecret(a.secret), a.hash);
  assert.equal(a.prefix, a.secret.slice(0, 11));
});

test('the display prefix never reveals more than four secret characters', () => {
  assert.equal(keyDisplayPrefix('sk-cdt-abcdefgh'), 'sk-cdt-abcd');
  assert.equal(keyDisplayPrefix('legacy-secret'), 'lega');
});
