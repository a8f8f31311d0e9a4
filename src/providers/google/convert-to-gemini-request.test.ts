import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { ChatRequest } from '../../core/chat-request.js';
import { ConduitError } from '../../core/errors.js';
import { convertToGeminiRequest, SKIP_THOUGHT_SIGNATURE } from './convert-to-gemini-request.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

describe('convertToGeminiRequest', () => {
  test('system and developer messages become systemInstruction; roles map to user/model', () => {
    const body = convertToGeminiRequest({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Bonjour' },
        { role: 'user', content: 'Again' },
      ],
    });
    assert.deepEqual(body.systemInstruction, {
      parts: [{ text: 'Be brief.' }, { text: 'Answer in French.' }],
    });
    assert.deepEqual(body.contents, [
      { role: 'user', parts: [{ text: 'Hi' }] },
      { role: 'model', parts: [{ text: 'Bonjour' }] },
      { role: 'user', parts: [{ text: 'Again' }] },
    ]);
    assert.equal(body.generationConfig, undefined);
  });

  test('images: data URLs inline, http URLs as fileData with a MIME type guessed from the extension', () => {
    const body = convertToGeminiRequest({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.webp?size=large' } },
            { type: 'image_url', image_url: { url: 'https://example.com/image' } },
            { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
          ],
        },
      ],
    });
    assert.deepEqual(body.contents[0]!.parts, [
      { text: 'Compare' },
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
      { fileData: { mimeType: 'image/webp', fileUri: 'https://example.com/cat.webp?size=large' } },
      { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/image' } },
      { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
    ]);
  });

  test('a tool round trip matches the documented generateContent body', () => {
    const request: ChatRequest = {
      messages: [
        { role: 'system', content: 'You are a weather assistant.' },
        { role: 'user', content: "What's the weather in Boston and in Paris?" },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_a',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"location":"Boston, MA"}' },
            },
            {
              id: 'call_b',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"location":"Paris"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_a', content: '{"temperature":22,"unit":"celsius"}' },
        { role: 'tool', tool_call_id: 'call_b', content: 'Rainy, 14 C' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Get the current weather in a given location',
            strict: true,
            parameters: {
              $schema: 'http://json-schema.org/draft-07/schema#',
              type: 'object',
              additionalProperties: false,
              properties: {
                location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
                unit: { type: ['string', 'null'], enum: ['celsius', 'fahrenheit'] },
              },
              required: ['location'],
            },
          },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      temperature: 0.2,
      max_tokens: 256,
    };
    assert.deepEqual(
      convertToGeminiRequest(request, { modelId: 'gemini-2.5-flash' }),
      fixture('request-function-calling.json'),
    );
  });

  test('Gemini 3 gets the documented placeholder signature on the first call of each replayed step', () => {
    const body = convertToGeminiRequest(
      {
        messages: [
          { role: 'user', content: 'Add' },
          {
            role: 'assistant',
            tool_calls: [
              { id: '1', type: 'function', function: { name: 'sum', arguments: '{"x":1}' } },
              { id: '2', type: 'function', function: { name: 'sum', arguments: '{"x":2}' } },
            ],
          },
          { role: 'tool', tool_call_id: '1', content: '1' },
          { role: 'tool', tool_call_id: '2', content: '2' },
        ],
      },
      { modelId: 'gemini-3-pro-preview' },
    );
    const calls = body.contents[1]!.parts!;
    assert.equal(calls[0]!.thoughtSignature, SKIP_THOUGHT_SIGNATURE);
    assert.equal(calls[1]!.thoughtSignature, undefined);
    // A scalar JSON result is not an object: it is wrapped, as text.
    assert.deepEqual(body.contents[2]!.parts![0]!.functionResponse, {
      name: 'sum',
      response: { content: '1' },
    });
  });

  test('invalid tool-call arguments fail with bad_request naming the message', () => {
    assert.throws(
      () =>
        convertToGeminiRequest({
          messages: [
            { role: 'user', content: 'x' },
            {
              role: 'assistant',
              tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{oops' } }],
            },
          ],
        }),
      (error: unknown) =>
        ConduitError.isInstance(error) &&
        error.code === 'bad_request' &&
        error.message.includes('messages[1]') &&
        error.param === 'messages[1].tool_calls[0].function.arguments',
    );
  });

  test('a tool result for an unknown call id fails with bad_request', () => {
    assert.throws(
      () => convertToGeminiRequest({ messages: [{ role: 'tool', tool_call_id: 'nope', content: 'x' }] }),
      (error: unknown) =>
        ConduitError.isInstance(error) && error.code === 'bad_request' && /messages\[0\]/.test(error.message),
    );
  });

  test('tool_choice maps to functionCallingConfig modes', () => {
    const mode = (tool_choice: ChatRequest['tool_choice']) =>
      convertToGeminiRequest({ messages: [{ role: 'user', content: 'x' }], tool_choice }).toolConfig
        ?.functionCallingConfig;
    assert.deepEqual(mode('auto'), { mode: 'AUTO' });
    assert.deepEqual(mode('none'), { mode: 'NONE' });
    assert.deepEqual(mode('required'), { mode: 'ANY' });
    assert.deepEqual(mode({ type: 'function', function: { name: 'f' } }), {
      mode: 'ANY',
      allowedFunctionNames: ['f'],
    });
  });

  test('a tool without parameters is declared without a schema', () => {
    const body = convertToGeminiRequest({
      messages: [{ role: 'user', content: 'x' }],
      tools: [
        { type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } },
      ],
    });
    assert.deepEqual(body.tools, [{ functionDeclarations: [{ name: 'now' }] }]);
  });

  test('sampling parameters, structured output and reasoning go to generationConfig', () => {
    const body = convertToGeminiRequest(
      {
        messages: [{ role: 'user', content: 'x' }],
        temperature: 0.5,
        top_p: 0.9,
        top_k: 40,
        max_tokens: 100,
        max_completion_tokens: 200,
        stop: 'END',
        n: 2,
        seed: 7,
        presence_penalty: 0.1,
        frequency_penalty: 0.2,
        logprobs: true,
        top_logprobs: 3,
        reasoning_effort: 'low',
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'answer', schema: { type: 'object', properties: { ok: { const: 'yes' } } } },
        },
        extra_body: { safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }] },
      },
      { modelId: 'gemini-2.5-flash' },
    );
    assert.deepEqual(body.generationConfig, {
      temperature: 0.5,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 200,
      stopSequences: ['END'],
      candidateCount: 2,
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      responseLogprobs: true,
      logprobs: 3,
      responseMimeType: 'application/json',
      responseSchema: { type: 'OBJECT', properties: { ok: { type: 'STRING', enum: ['yes'] } } },
      thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 },
    });
    assert.deepEqual(body.safetySettings, [
      { category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' },
    ]);
  });

  test('json_object asks for JSON; Gemini 3 gets a thinking level instead of a budget', () => {
    const body = convertToGeminiRequest(
      {
        messages: [{ role: 'user', content: 'x' }],
        response_format: { type: 'json_object' },
        reasoning_effort: 'high',
      },
      { modelId: 'gemini-3-flash-preview' },
    );
    assert.deepEqual(body.generationConfig, {
      responseMimeType: 'application/json',
      thinkingConfig: { includeThoughts: true, thinkingLevel: 'HIGH' },
    });
  });
});
