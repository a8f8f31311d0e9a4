import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConduitError } from '../core/errors.js';
import { EXIT_FAILURE, EXIT_USAGE, exitCodeFor, UsageError } from './cli-error.js';

describe('exitCodeFor', () => {
  test('bad usage and bad configuration exit 2', () => {
    assert.equal(exitCodeFor(new UsageError('--limit must be a positive integer')), EXIT_USAGE);
    for (const [code, param] of [
      ['bad_request', 'config'],
      ['not_found', 'model'],
      ['bad_request', 'base_url'],
      ['unsupported', 'model'],
    ] as const) {
      assert.equal(exitCodeFor(new ConduitError(code, 'x', { param })), EXIT_USAGE, `${code}/${param}`);
    }
  });

  test('failed work exits 1, even when it names the model, whatever the message says', () => {
    for (const error of [
      new ConduitError('rate_limited', 'Unknown model? no: rate limited', { param: 'model' }),
      new ConduitError('permission', 'This API key may not use the model', { param: 'model' }),
      new ConduitError('not_found', 'No collection "kb"', { param: 'name' }),
      new ConduitError('upstream_error', 'invalid conduit.yaml'),
      new Error('--model is required'),
    ]) {
      assert.equal(exitCodeFor(error), EXIT_FAILURE, error.message);
    }
  });
});
