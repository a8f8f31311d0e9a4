import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sameSecret } from './key-auth.js';

describe('sameSecret', () => {
  test('equal only for identical secrets, whatever the lengths', () => {
    assert.equal(sameSecret('sk-master-key', 'sk-master-key'), true);
    assert.equal(sameSecret('sk-master-key', 'sk-master-kez'), false);
    assert.equal(sameSecret('sk-master-key', 'sk'), false);
    assert.equal(sameSecret('', 'sk-master-key'), false);
  });
});
