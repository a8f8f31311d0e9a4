import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MIN_MASTER_KEY_LENGTH } from '../config/config-schema.js';
import { ConduitError } from '../core/errors.js';
import { masterKeyFromEnv } from './start-gateway.js';

describe('CONDUIT_MASTER_KEY', () => {
  test('unset or blank means no master key', () => {
    assert.equal(masterKeyFromEnv({}), undefined);
    assert.equal(masterKeyFromEnv({ CONDUIT_MASTER_KEY: '  ' }), undefined);
  });

  test('follows the same minimum length as master_key in conduit.yaml', () => {
    const ok = 'k'.repeat(MIN_MASTER_KEY_LENGTH);
    assert.equal(masterKeyFromEnv({ CONDUIT_MASTER_KEY: ` ${ok} ` }), ok);
    assert.throws(
      () => masterKeyFromEnv({ CONDUIT_MASTER_KEY: 'x' }),
      (e) =>
        e instanceof ConduitError &&
        e.param === 'CONDUIT_MASTER_KEY' &&
        /at least 8/.test(e.message) &&
        /random/.test(e.message),
    );
  });
});
