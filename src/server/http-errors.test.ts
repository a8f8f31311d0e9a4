import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import { ConduitError } from '../core/errors.js';
import { writeError } from './http-errors.js';

function retryAfter(retryAfterMs: number): string | undefined {
  let headers: Record<string, string> = {};
  const res = {
    headersSent: false,
    writeHead(_status: number, h: Record<string, string>) {
      headers = h;
    },
    end() {},
  } as unknown as ServerResponse;
  writeError(res, new ConduitError('rate_limited', 'slow down', { retryAfterMs }));
  return headers['retry-after'];
}

describe('Retry-After', () => {
  test('is the wait rounded up to whole seconds, never an extra second, at least 1', () => {
    assert.equal(retryAfter(60_000), '60');
    assert.equal(retryAfter(59_001), '60');
    assert.equal(retryAfter(60_001), '61');
    assert.equal(retryAfter(1), '1');
    assert.equal(retryAfter(0), '1');
  });
});
