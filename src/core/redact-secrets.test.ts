import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { redactSecrets, registerSecrets } from './redact-secrets.js';

describe('redactSecrets', () => {
  test('an upstream that echoes its Authorization header does not leak the key', () => {
    const echoed =
      'Invalid request: headers {"authorization":"Bearer sk-proj-AbCdEf0123456789xyz","x-api-key":"sk-ant-api03-QQQQQQQQQQQQ"}';
    const out = redactSecrets(echoed);
    assert.ok(!out.includes('AbCdEf0123456789xyz'), out);
    assert.ok(!out.includes('QQQQQQQQQQQQ'), out);
    assert.match(out, /Invalid request/);
  });

  test('Google keys in URLs and key= parameters are redacted', () => {
    const out = redactSecrets(
      'GET https://generativelanguage.googleapis.com/v1/models?key=AIzaSyA-1234567890abcdefghijklmn failed',
    );
    assert.ok(!out.includes('1234567890abcdefghijklmn'), out);
  });

  test('configured secrets of any shape are redacted; ordinary text is left alone', () => {
    registerSecrets(['my-vllm-token-42x', undefined, 'short']);
    const out = redactSecrets('upstream said: token my-vllm-token-42x is not valid (short answer)');
    assert.equal(out, 'upstream said: token [redacted] is not valid (short answer)');
    assert.equal(
      redactSecrets('The model "gpt-4o" does not exist; max_tokens must be at least 1'),
      'The model "gpt-4o" does not exist; max_tokens must be at least 1',
    );
  });
});
