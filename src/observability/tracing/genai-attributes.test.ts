import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChatResult } from '../../core/chat-event.js';
import {
  chatRequestAttributes,
  chatResultAttributes,
  contentAttributes,
  providerName,
  usageAttributes,
} from './genai-attributes.js';

const result: ChatResult = {
  id: 'chatcmpl-123',
  model: 'gpt-4o-mini-2024-07-18',
  created: 0,
  text: 'Paris',
  toolCalls: [],
  finishReason: 'stop',
  choices: [
    { index: 0, text: 'Paris', toolCalls: [], finishReason: 'stop' },
    {
      index: 1,
      text: '',
      toolCalls: [
        { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"city":"Paris"}' } },
      ],
      finishReason: 'tool_calls',
    },
  ],
  usage: { promptTokens: 20, completionTokens: 5, totalTokens: 25, cachedTokens: 16, reasoningTokens: 2 },
  cost: { input: 0.00001, cachedInput: 0.000002, output: 0.000003, total: 0.000015 },
};

describe('GenAI attributes', () => {
  test('request: operation, model and the sampling parameters that were set', () => {
    assert.deepEqual(
      chatRequestAttributes(
        {
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'hi' }],
          temperature: 0,
          top_p: 0.9,
          max_tokens: 100,
          max_completion_tokens: 50,
          stop: 'END',
          frequency_penalty: 0.5,
          presence_penalty: -0.5,
          seed: 42,
          n: 3,
          response_format: { type: 'json_object' },
        },
        { provider: 'google' },
      ),
      {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'gcp.gemini',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.request.temperature': 0,
        'gen_ai.request.max_tokens': 50,
        'gen_ai.request.top_p': 0.9,
        'gen_ai.request.stop_sequences': ['END'],
        'gen_ai.request.frequency_penalty': 0.5,
        'gen_ai.request.presence_penalty': -0.5,
        'gen_ai.request.seed': 42,
        'gen_ai.request.choice.count': 3,
        'gen_ai.output.type': 'json',
      },
    );
    assert.deepEqual(chatRequestAttributes({ messages: [], n: 1 }), { 'gen_ai.operation.name': 'chat' });
  });

  test('response: id, model, one finish reason per choice, tokens and cost', () => {
    assert.deepEqual(chatResultAttributes(result), {
      'gen_ai.response.id': 'chatcmpl-123',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.finish_reasons': ['stop', 'tool_calls'],
      'gen_ai.usage.input_tokens': 20,
      'gen_ai.usage.output_tokens': 5,
      'gen_ai.usage.cache_read.input_tokens': 16,
      'gen_ai.usage.reasoning.output_tokens': 2,
      'conduit.cost_usd': 0.000015,
    });
    assert.deepEqual(usageAttributes({ promptTokens: 1, completionTokens: 2, totalTokens: 3 }), {
      'gen_ai.usage.input_tokens': 1,
      'gen_ai.usage.output_tokens': 2,
    });
    assert.deepEqual(chatResultAttributes({ model: 'm', finishReason: 'length' }), {
      'gen_ai.response.model': 'm',
      'gen_ai.response.finish_reasons': ['length'],
    });
  });

  test('content only on request, in the GenAI message schema', () => {
    assert.ok(!('gen_ai.output.messages' in chatResultAttributes(result)));
    const output = chatResultAttributes(result, { captureContent: true })['gen_ai.output.messages'];
    assert.deepEqual(JSON.parse(String(output)), [
      { role: 'assistant', parts: [{ type: 'text', content: 'Paris' }], finish_reason: 'stop' },
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'call_1', name: 'lookup', arguments: { city: 'Paris' } }],
        finish_reason: 'tool_call',
      },
    ]);

    const input = contentAttributes({
      messages: [
        { role: 'developer', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/a.jpg' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
      ],
    })['gen_ai.input.messages'];
    assert.deepEqual(JSON.parse(String(input)), [
      { role: 'system', parts: [{ type: 'text', content: 'Be brief.' }] },
      {
        role: 'user',
        parts: [
          { type: 'text', content: 'What is this?' },
          { type: 'blob', modality: 'image', mime_type: 'image/png' },
          { type: 'uri', modality: 'image', uri: 'https://example.com/a.jpg' },
        ],
      },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'f', arguments: '{"a":' }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: 'sunny' }] },
    ]);
  });

  test('provider names: well-known values, else our own id', () => {
    assert.deepEqual(
      [
        'openai',
        'azure',
        'anthropic',
        'google',
        'Gemini',
        'mistral',
        'deepseek',
        'groq',
        'vllm',
        'ollama',
      ].map(providerName),
      [
        'openai',
        'azure.ai.openai',
        'anthropic',
        'gcp.gemini',
        'gcp.gemini',
        'mistral_ai',
        'deepseek',
        'groq',
        'vllm',
        'ollama',
      ],
    );
  });
});
