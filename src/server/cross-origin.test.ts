import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, test } from 'node:test';
import { ConduitError } from '../core/errors.js';
import { checkOrigin, corsHeaders } from './cross-origin.js';

function request(method: string, headers: Record<string, string>): IncomingMessage {
  return { method, headers: { host: '127.0.0.1:4141', ...headers } } as unknown as IncomingMessage;
}

const refused = (error: unknown) =>
  ConduitError.isInstance(error) && error.status === 403 && error.param === 'origin';

describe('checkOrigin', () => {
  test('clients that are not browsers (no Origin) pass, with no CORS headers', () => {
    const decision = checkOrigin(request('POST', {}), '/admin/keys', []);
    assert.deepEqual(corsHeaders(decision, false), {});
  });

  test('a foreign origin may not touch /admin nor post anywhere, and gets no preflight', () => {
    const evil = { origin: 'https://evil.example' };
    assert.throws(() => checkOrigin(request('POST', evil), '/admin/keys', []), refused);
    assert.throws(() => checkOrigin(request('GET', evil), '/admin/keys', []), refused);
    assert.throws(() => checkOrigin(request('POST', evil), '/v1/chat/completions', []), refused);
    assert.throws(() => checkOrigin(request('DELETE', evil), '/v1/collections/x', []), refused);
    assert.throws(() => checkOrigin(request('OPTIONS', evil), '/v1/chat/completions', []), refused);
    assert.throws(() => checkOrigin(request('POST', { origin: 'null' }), '/v1/embeddings', []), refused);
    // A GET elsewhere is sent, but unreadable to the page: no allow-origin header.
    assert.deepEqual(corsHeaders(checkOrigin(request('GET', evil), '/v1/models', []), false), {});
  });

  test("the gateway's own origin (the console) is allowed without CORS headers", () => {
    const decision = checkOrigin(request('POST', { origin: 'http://127.0.0.1:4141' }), '/admin/keys', []);
    assert.deepEqual(corsHeaders(decision, false), {});
    assert.throws(
      () => checkOrigin(request('POST', { origin: 'http://127.0.0.1:9999' }), '/admin/keys', []),
      refused,
    );
  });

  test('a listed origin gets its own name back, a preflight, and Vary', () => {
    const origins = ['https://app.example.com'];
    const decision = checkOrigin(
      request('OPTIONS', { origin: origins[0]! }),
      '/v1/chat/completions',
      origins,
    );
    const headers = corsHeaders(decision, true);
    assert.equal(headers['access-control-allow-origin'], 'https://app.example.com');
    assert.equal(headers.vary, 'Origin');
    assert.match(headers['access-control-allow-headers']!, /authorization/);
    assert.throws(
      () =>
        checkOrigin(request('POST', { origin: 'https://app.example.com.evil' }), '/v1/embeddings', origins),
      refused,
    );
  });

  test('`*` allows every origin, as the operator asked', () => {
    const decision = checkOrigin(request('POST', { origin: 'https://any.example' }), '/admin/keys', ['*']);
    assert.equal(corsHeaders(decision, false)['access-control-allow-origin'], '*');
  });
});
