import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { anthropicStreamError, mapAnthropicError } from './map-anthropic-error.js';

interface ErrorFixture {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

const errors = JSON.parse(
  readFileSync(new URL('./__fixtures__/errors.json', import.meta.url), 'utf8'),
) as Record<string, ErrorFixture>;

function map(name: string) {
  const fixture = errors[name];
  assert.ok(fixture, `fixture ${name}`);
  return mapAnthropicError(fixture.status, JSON.stringify(fixture.body), fixture.headers ?? {});
}

describe('mapAnthropicError', () => {
  test('each documented error type maps to its code, keeping status and type', () => {
    const expected: Record<string, [code: string, retryable: boolean]> = {
      invalid_request: ['bad_request', false],
      prompt_too_long: ['context_length_exceeded', false],
      credit_balance: ['budget_exceeded', false],
      authentication: ['authentication', false],
      permission: ['permission', false],
      not_found: ['not_found', false],
      request_too_large: ['payload_too_large', false],
      rate_limit: ['rate_limited', true],
      api_error: ['upstream_error', true],
      overloaded: ['overloaded', true],
    };
    for (const [name, [code, retryable]] of Object.entries(expected)) {
      const error = map(name);
      const fixture = errors[name]!;
      assert.equal(error.code, code, name);
      assert.equal(error.retryable, retryable, name);
      assert.equal(error.provider, 'anthropic');
      assert.equal(error.upstreamStatus, fixture.status);
      assert.equal(error.upstreamCode, (fixture.body as { error: { type: string } }).error.type);
    }
  });

  test('the message says what Anthropic said, and the request id is kept', () => {
    const error = map('prompt_too_long');
    assert.equal(error.message, 'anthropic: prompt is too long: 208310 tokens > 200000 maximum');
    assert.deepEqual(error.details, { requestId: 'req_011CVQe1dLrGNMJyE1ghG1av' });
  });

  test('Retry-After (seconds) becomes retryAfterMs', () => {
    assert.equal(map('rate_limit').retryAfterMs, 7000);
    assert.equal(map('overloaded').retryAfterMs, undefined);
  });

  test('x-should-retry overrides the table; budget errors stay final', () => {
    const body = JSON.stringify({ type: 'error', error: { type: 'api_error', message: 'boom' } });
    assert.equal(mapAnthropicError(500, body, { 'x-should-retry': 'false' }).retryable, false);
    const conflict = JSON.stringify({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'busy' },
    });
    const retried = mapAnthropicError(409, conflict, { 'x-should-retry': 'true' });
    assert.equal(retried.code, 'conflict');
    assert.equal(retried.retryable, true);
    const spend = JSON.stringify({
      type: 'error',
      error: {
        type: 'rate_limit_error',
        message: 'limit',
        details: { error_code: 'enforced_spend_limit_reached' },
      },
    });
    const final = mapAnthropicError(429, spend, { 'x-should-retry': 'true' });
    assert.equal(final.code, 'budget_exceeded');
    assert.equal(final.retryable, false);
  });

  test('a non-JSON body (Cloudflare 413, a proxy 502) falls back to the status', () => {
    const tooLarge = mapAnthropicError(413, '<html><body>413 Request Entity Too Large</body></html>', {});
    assert.equal(tooLarge.code, 'payload_too_large');
    assert.match(tooLarge.message, /413 Request Entity Too Large/);
    const gateway = mapAnthropicError(502, '', {});
    assert.equal(gateway.code, 'upstream_error');
    assert.equal(gateway.message, 'anthropic: HTTP 502');
  });

  test('a mid-stream error event maps by type alone', () => {
    const overloaded = anthropicStreamError({ type: 'overloaded_error', message: 'Overloaded' });
    assert.equal(overloaded.code, 'overloaded');
    assert.equal(overloaded.retryable, true);
    assert.equal(anthropicStreamError({ type: 'something_new', message: 'x' }).code, 'upstream_error');
  });
});
