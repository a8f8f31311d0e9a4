import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { mapGeminiError } from './map-gemini-error.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

describe('mapGeminiError', () => {
  test('429 RESOURCE_EXHAUSTED waits as long as RetryInfo says', () => {
    const error = mapGeminiError(429, fixture('error-quota.json'), {});
    assert.equal(error.code, 'rate_limited');
    assert.equal(error.retryable, true);
    assert.equal(error.retryAfterMs, 26_000);
    assert.equal(error.provider, 'google');
    assert.equal(error.upstreamCode, 'RESOURCE_EXHAUSTED');
    assert.match(error.message, /^google: You exceeded your current quota/);
  });

  test('a Retry-After header wins over the body; fractional retryDelay rounds up', () => {
    assert.equal(mapGeminiError(429, fixture('error-quota.json'), { 'retry-after': '3' }).retryAfterMs, 3000);
    const body = JSON.stringify({
      error: {
        code: 429,
        status: 'RESOURCE_EXHAUSTED',
        message: 'quota',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '38.804097346s' }],
      },
    });
    assert.equal(mapGeminiError(429, body, {}).retryAfterMs, 38_805);
  });

  test('an invalid API key (400 INVALID_ARGUMENT) is authentication', () => {
    const error = mapGeminiError(400, fixture('error-api-key.json'), {});
    assert.equal(error.code, 'authentication');
    assert.equal(error.status, 401);
    assert.equal(error.upstreamStatus, 400);
  });

  test('token-limit messages are context_length_exceeded; other INVALID_ARGUMENTs bad_request', () => {
    assert.equal(mapGeminiError(400, fixture('error-token-limit.json'), {}).code, 'context_length_exceeded');
    const other = JSON.stringify({
      error: {
        code: 400,
        message: '* GenerateContentRequest.contents: contents is not specified',
        status: 'INVALID_ARGUMENT',
      },
    });
    assert.equal(mapGeminiError(400, other, {}).code, 'bad_request');
  });

  test('rpc status names map to codes', () => {
    const map = (status: string, code: number) =>
      mapGeminiError(code, JSON.stringify({ error: { code, message: 'm', status } }), {}).code;
    assert.equal(map('UNAUTHENTICATED', 401), 'authentication');
    assert.equal(map('PERMISSION_DENIED', 403), 'permission');
    assert.equal(map('FAILED_PRECONDITION', 400), 'bad_request');
    assert.equal(map('UNAVAILABLE', 503), 'overloaded');
    assert.equal(map('DEADLINE_EXCEEDED', 504), 'timeout');
    assert.equal(map('INTERNAL', 500), 'upstream_error');
    assert.equal(mapGeminiError(404, fixture('error-not-found.json'), {}).code, 'not_found');
  });

  test('bodies that are not Google errors fall back to the HTTP status', () => {
    const error = mapGeminiError(502, '<html>Bad Gateway</html>', {});
    assert.equal(error.code, 'upstream_error');
    assert.match(error.message, /Bad Gateway/);
    // Streaming endpoints without alt=sse wrap the error in an array.
    const wrapped = JSON.stringify([{ error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } }]);
    assert.equal(mapGeminiError(503, wrapped, {}).code, 'overloaded');
  });
});
