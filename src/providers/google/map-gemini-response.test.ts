import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ConduitError } from '../../core/errors.js';
import type { GeminiResponse } from './gemini-api.js';
import { mapGeminiFinishReason, mapGeminiResponse } from './map-gemini-response.js';

const fixture = (name: string): GeminiResponse =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as GeminiResponse;

describe('mapGeminiResponse', () => {
  test('text with a thought summary: thoughts go to reasoning and count as completion tokens', () => {
    const result = mapGeminiResponse(fixture('generate-content-thinking.json'), 'gemini-2.5-flash');
    assert.equal(result.text, 'Mountain View');
    assert.match(result.reasoning ?? '', /Thinking About Google's Headquarters/);
    assert.equal(result.id, '2pmHaJqQEoqC-8YP6eStyAY');
    assert.equal(result.model, 'gemini-2.5-flash');
    assert.equal(result.finishReason, 'stop');
    assert.deepEqual(result.usage, {
      promptTokens: 14,
      completionTokens: 26,
      totalTokens: 40,
      reasoningTokens: 24,
    });
  });

  test('parallel function calls become ordered tool calls with call_<n> ids', () => {
    const result = mapGeminiResponse(fixture('generate-content-parallel-calls.json'), 'gemini-2.0-flash');
    assert.equal(result.finishReason, 'tool_calls');
    assert.deepEqual(
      result.toolCalls.map((c) => [c.id, c.function.name, JSON.parse(c.function.arguments)]),
      [
        ['call_0', 'sum', { y: 1, x: 2 }],
        ['call_1', 'multiply', { y: 3, x: 4 }],
        ['call_2', 'subtract', { y: 5, x: 6 }],
      ],
    );
    assert.deepEqual(result.usage, { promptTokens: 0, completionTokens: 0, totalTokens: 0 });
    assert.match(result.id, /^gemini-/);
  });

  test('a function call with a thought signature and empty args', () => {
    const response = fixture('generate-content-thinking-function-call.json');
    const result = mapGeminiResponse(response, 'gemini-2.5-pro');
    const signature = response.candidates![0]!.content!.parts!.find((p) => p.functionCall)!.thoughtSignature;
    assert.ok(signature);
    assert.deepEqual(result.toolCalls, [
      {
        id: 'call_0',
        type: 'function',
        function: { name: 'now', arguments: '{}' },
        extra_content: { google: { thought_signature: signature } },
      },
    ]);
    assert.equal(result.text, '');
    assert.equal(result.usage.completionTokens, 509);
    assert.equal(result.usage.totalTokens, 547);
  });

  test('implicit caching: cached tokens are part of the prompt, thoughts part of the completion', () => {
    const { usage } = mapGeminiResponse(
      fixture('generate-content-implicit-caching.json'),
      'gemini-2.5-flash',
    );
    assert.deepEqual(usage, {
      promptTokens: 12013,
      completionTokens: 88,
      totalTokens: 12101,
      cachedTokens: 11243,
      reasoningTokens: 73,
    });
    assert.equal(usage.promptTokens + usage.completionTokens, usage.totalTokens);
  });

  test('a SAFETY stop is content_filter, with the ratings in providerMetadata', () => {
    const result = mapGeminiResponse(fixture('generate-content-finish-safety.json'), 'gemini-2.0-flash');
    assert.equal(result.finishReason, 'content_filter');
    assert.equal(result.text, 'Safety error incoming in 5, 4, 3, 2...');
    const google = result.providerMetadata?.google as { safetyRatings: unknown[]; finishReason: string };
    assert.equal(google.finishReason, 'SAFETY');
    assert.equal(google.safetyRatings.length, 4);
  });

  test('a blocked prompt (no candidates) throws content_filter', () => {
    assert.throws(
      () => mapGeminiResponse(fixture('generate-content-prompt-blocked.json'), 'gemini-2.0-flash'),
      (error: unknown) =>
        ConduitError.isInstance(error) &&
        error.code === 'content_filter' &&
        error.upstreamCode === 'SAFETY' &&
        /Reasons/.test(error.message),
    );
  });

  test('logprobs map to OpenAI-shaped token logprobs', () => {
    const result = mapGeminiResponse(fixture('generate-content-logprobs.json'), 'gemini-1.5-flash');
    assert.deepEqual(result.choices[0]!.logprobs, [
      {
        token: 'Some other string.',
        logprob: 0.75,
        top_logprobs: [{ token: 'Some string.', logprob: 0.65 }],
      },
    ]);
  });

  test('finish reasons', () => {
    assert.equal(mapGeminiFinishReason('MAX_TOKENS', false), 'length');
    for (const reason of ['RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII']) {
      assert.equal(mapGeminiFinishReason(reason, false), 'content_filter');
    }
    assert.equal(mapGeminiFinishReason('MALFORMED_FUNCTION_CALL', false), 'error');
    assert.equal(mapGeminiFinishReason('STOP', true), 'tool_calls');
  });
});

describe('thought signatures', () => {
  test('a function call keeps its thoughtSignature, and sends it back on the next request', async () => {
    const { convertToGeminiRequest } = await import('./convert-to-gemini-request.js');
    const result = mapGeminiResponse(
      {
        candidates: [
          {
            index: 0,
            finishReason: 'STOP',
            content: {
              role: 'model',
              parts: [{ functionCall: { name: 'lookup', args: { q: 'x' } }, thoughtSignature: 'sig-abc' }],
            },
          },
        ],
      },
      'gemini-3-pro-preview',
    );
    const call = result.toolCalls[0]!;
    assert.deepEqual(call.extra_content, { google: { thought_signature: 'sig-abc' } });
    const body = convertToGeminiRequest(
      {
        messages: [
          { role: 'user', content: 'find x' },
          { role: 'assistant', content: null, tool_calls: [call] },
          { role: 'tool', tool_call_id: call.id, content: 'found' },
        ],
      },
      { modelId: 'gemini-3-pro-preview' },
    );
    const parts = body.contents[1]!.parts as { thoughtSignature?: string }[];
    assert.equal(parts[0]!.thoughtSignature, 'sig-abc');
  });
});
