import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FunctionTool } from '../chat-request.js';
import type { ChatMessage } from '../messages.js';
import { countMessageTokens, countToolTokens } from './count-message-tokens.js';

// The example conversation and the prompt_tokens the OpenAI API reported for it, from the OpenAI
// cookbook "How to count tokens with tiktoken" (section 6): 129 for gpt-3.5-turbo/gpt-4, 124 for gpt-4o(-mini).
const cookbookMessages = [
  {
    role: 'system',
    content:
      'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.',
  },
  { role: 'system', name: 'example_user', content: 'New synergies will help drive top-line growth.' },
  {
    role: 'system',
    name: 'example_assistant',
    content: 'Things working well together will increase revenue.',
  },
  {
    role: 'system',
    name: 'example_user',
    content:
      "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.",
  },
  {
    role: 'system',
    name: 'example_assistant',
    content: "Let's talk later when we're less busy about how to do better.",
  },
  {
    role: 'user',
    content: "This late pivot means we don't have time to boil the ocean for the client deliverable.",
  },
] satisfies ChatMessage[];

// Section 7 of the same cookbook: 105 prompt tokens for gpt-3.5-turbo/gpt-4, 101 for gpt-4o(-mini).
const weatherTools: FunctionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_current_weather',
      description: 'Get the current weather in a given location',
      parameters: {
        type: 'object',
        properties: {
          location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
          unit: {
            type: 'string',
            description: 'The unit of temperature to return',
            enum: ['celsius', 'fahrenheit'],
          },
        },
        required: ['location'],
      },
    },
  },
];
const weatherMessages: ChatMessage[] = [
  { role: 'system', content: 'You are a helpful assistant that can answer to questions about the weather.' },
  { role: 'user', content: "What's the weather like in San Francisco?" },
];

describe('countMessageTokens', () => {
  test('matches the prompt_tokens OpenAI reported for the cookbook conversation', () => {
    assert.deepEqual(countMessageTokens(cookbookMessages, { model: 'gpt-4o' }), {
      tokens: 124,
      exact: true,
      tokenizer: 'o200k_base',
    });
    assert.equal(countMessageTokens(cookbookMessages, { model: 'gpt-4o-mini' }).tokens, 124);
    assert.equal(countMessageTokens(cookbookMessages, { model: 'gpt-4-0613' }).tokens, 129);
    assert.equal(countMessageTokens(cookbookMessages, { model: 'gpt-3.5-turbo' }).tokens, 129);
  });

  test('matches the prompt_tokens OpenAI reported for the cookbook tool example', () => {
    const gpt4o = countMessageTokens(weatherMessages, { model: 'gpt-4o', tools: weatherTools });
    assert.equal(gpt4o.tokens, 101);
    assert.equal(gpt4o.exact, false, 'tool definitions are an approximation');
    assert.equal(countMessageTokens(weatherMessages, { model: 'gpt-4', tools: weatherTools }).tokens, 105);
    assert.equal(
      countToolTokens(weatherTools, { model: 'gpt-4o' }).tokens,
      101 - countMessageTokens(weatherMessages, { model: 'gpt-4o' }).tokens,
    );
  });

  test('3 tokens per message, the encoded role and content, 3 to prime the reply; a name costs 1 more', () => {
    const plain = countMessageTokens([{ role: 'user', content: 'hello world' }], { model: 'gpt-4o' });
    assert.equal(plain.tokens, 3 + 1 + 2 + 3);
    const named = countMessageTokens([{ role: 'user', content: 'hello world', name: 'bob' }], {
      model: 'gpt-4o',
    });
    assert.equal(named.tokens, plain.tokens + 1 + 1);
    assert.equal(countMessageTokens([], { model: 'gpt-4o' }).tokens, 3);
  });

  test('text parts count like a string; images add a fixed estimate and make the count inexact', () => {
    const asParts = countMessageTokens([{ role: 'user', content: [{ type: 'text', text: 'hello world' }] }], {
      model: 'gpt-4o',
    });
    assert.deepEqual(
      asParts,
      countMessageTokens([{ role: 'user', content: 'hello world' }], { model: 'gpt-4o' }),
    );
    const withImage = countMessageTokens(
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'hello world' },
            { type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'low' } },
          ],
        },
      ],
      { model: 'gpt-4o' },
    );
    assert.equal(withImage.tokens, asParts.tokens + 85);
    assert.equal(withImage.exact, false);
  });

  test('tool calls and tool results count their text and are marked approximate', () => {
    const messages: ChatMessage[] = [
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'result text' },
    ];
    const count = countMessageTokens(messages, { model: 'gpt-4o' });
    assert.equal(count.exact, false);
    assert.ok(count.tokens > countMessageTokens([], { model: 'gpt-4o' }).tokens + 10);
  });

  test('non-OpenAI models get the same framing over estimated text counts', () => {
    const count = countMessageTokens(cookbookMessages, { model: 'claude-sonnet-4-5' });
    assert.equal(count.exact, false);
    assert.ok(count.tokens >= 124, `${count.tokens} should not undercut the o200k_base count`);
  });
});
