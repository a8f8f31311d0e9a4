import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_RESERVED_OUTPUT_TOKENS, estimateRequest } from './estimate-request.js';

const messages = [{ role: 'user' as const, content: 'x'.repeat(32) }];
const promptTokens = JSON.stringify(messages).length / 4;

describe('estimateRequest', () => {
  test('the output is max_completion_tokens, else max_tokens, for every choice', () => {
    assert.deepEqual(estimateRequest({ messages, max_tokens: 50 }), { promptTokens, outputTokens: 50 });
    assert.equal(estimateRequest({ messages, max_tokens: 50, max_completion_tokens: 20 }).outputTokens, 20);
    assert.equal(estimateRequest({ messages, max_tokens: 50, n: 3 }).outputTokens, 150);
  });

  test('without max_tokens the documented default is reserved', () => {
    assert.equal(estimateRequest({ messages }).outputTokens, DEFAULT_RESERVED_OUTPUT_TOKENS);
  });

  test('tool definitions count towards the prompt', () => {
    const tools = [
      { type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object' } } },
    ];
    const withTools = estimateRequest({ messages, tools }).promptTokens;
    assert.equal(withTools, promptTokens + JSON.stringify(tools).length / 4);
  });
});
