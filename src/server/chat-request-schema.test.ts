import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseChatBody } from './chat-request-schema.js';

const base = { model: 'fast', messages: [{ role: 'user', content: 'hi' }] };

describe('chat request validation', () => {
  for (const field of ['max_tokens', 'max_completion_tokens']) {
    test(`${field}: 0 says it must be at least 1`, () => {
      assert.throws(
        () => parseChatBody({ ...base, [field]: 0 }),
        (e: Error & { param?: string }) => e.param === field && /must be at least 1\b/.test(e.message),
      );
    });
  }
});
