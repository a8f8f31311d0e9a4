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

describe('union fields name the limit that was broken', () => {
  const issue = (extra: Record<string, unknown>) => {
    try {
      parseChatBody({ ...base, ...extra });
    } catch (e) {
      const { param, message } = e as Error & { param?: string };
      return { param, message };
    }
    assert.fail('accepted');
  };

  test('an array of the right type but too long says how many items are allowed', () => {
    assert.deepEqual(issue({ stop: ['a', 'b', 'c', 'd', 'e'] }), {
      param: 'stop',
      message: 'Invalid request: stop must have at most 4 items',
    });
  });

  test('an array with an item of the wrong type names the item', () => {
    assert.deepEqual(issue({ stop: ['a', 5] }), {
      param: 'stop[1]',
      message: 'Invalid request: stop[1] must be string',
    });
  });

  test('an unknown or incomplete content part is named by its field', () => {
    const content = (part: unknown) => issue({ messages: [{ role: 'user', content: [part] }] });
    assert.deepEqual(content({ type: 'video' }), {
      param: 'messages[0].content[0].type',
      message:
        'Invalid request: messages[0].content[0].type must be one of "text", "image_url", "input_audio", "file"',
    });
    assert.equal(content({ type: 'text' }).param, 'messages[0].content[0].text');
  });

  test('a value of no accepted type still lists the types', () => {
    assert.deepEqual(issue({ stop: 5 }), {
      param: 'stop',
      message: 'Invalid request: stop must be string or array',
    });
  });
});
