import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ConduitError } from '../../core/errors.js';
import type { AnthropicMessage } from './anthropic-api.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';
import { mapAnthropicResponse } from './map-anthropic-response.js';

const fixture = (name: string): AnthropicMessage =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as AnthropicMessage;

describe('mapAnthropicResponse', () => {
  test('text answer: id, model, text, stop, and cache reads/writes counted inside promptTokens', () => {
    const result = mapAnthropicResponse(fixture('text-response.json'));
    assert.equal(result.id, 'msg_01XFDUDYJgAACzvnptvVoYEL');
    assert.equal(result.model, 'claude-sonnet-4-5-20250929');
    assert.equal(result.text, 'Hello! Paris is the capital of France.');
    assert.equal(result.finishReason, 'stop');
    assert.deepEqual(result.toolCalls, []);
    assert.deepEqual(result.usage, {
      promptTokens: 12 + 2000 + 100,
      completionTokens: 11,
      totalTokens: 2123,
      cachedTokens: 2000,
      cacheWriteTokens: 100,
    });
    assert.equal(result.choices.length, 1);
    assert.equal(result.choices[0]?.text, result.text);
  });

  test('parallel tool_use blocks become OpenAI tool calls with JSON-string arguments', () => {
    const result = mapAnthropicResponse(fixture('tool-use-response.json'));
    assert.equal(result.finishReason, 'tool_calls');
    assert.equal(result.text, "I'll check the weather in both cities.");
    assert.deepEqual(result.toolCalls, [
      {
        id: 'toolu_01A09q90qw90lq917835lq9',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"location":"San Francisco, CA","unit":"celsius"}' },
      },
      {
        id: 'toolu_01B7tq3oVfzMpVJ3qG5xWxzT',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"location":"New York, NY","unit":"celsius"}' },
      },
    ]);
  });

  test('thinking becomes reasoning (redacted thinking is skipped); max_tokens reads as length', () => {
    const result = mapAnthropicResponse(fixture('thinking-response.json'));
    assert.match(result.reasoning ?? '', /= 12231\.$/);
    assert.equal(result.choices[0]?.reasoning, result.reasoning);
    assert.equal(result.text, '27 × 453 = 12,231');
    assert.equal(result.finishReason, 'length');
    assert.deepEqual(result.usage, { promptTokens: 45, completionTokens: 120, totalTokens: 165 });
  });

  test('the emulated json_schema tool call comes back as JSON text, finished with stop', () => {
    const result = mapAnthropicResponse(fixture('json-tool-response.json'), {
      toolName: 'weather_report',
      wrapped: false,
    });
    assert.deepEqual(JSON.parse(result.text), {
      location: 'San Francisco',
      temperature: 58,
      condition: 'sunny',
    });
    assert.deepEqual(result.toolCalls, []);
    assert.equal(result.finishReason, 'stop');
  });

  test('a wrapped json_schema answer is unwrapped from { value }', () => {
    const message: AnthropicMessage = {
      id: 'msg_1',
      model: 'claude-haiku-4-5',
      content: [{ type: 'tool_use', id: 'toolu_1', name: 'tags', input: { value: ['a', 'b'] } }],
      stop_reason: 'tool_use',
    };
    assert.equal(mapAnthropicResponse(message, { toolName: 'tags', wrapped: true }).text, '["a","b"]');
  });

  test('a body without content is an invalid_response, not a crash', () => {
    assert.throws(
      () => mapAnthropicResponse({ id: 'x', model: 'y' } as AnthropicMessage),
      (error: unknown) => ConduitError.isInstance(error) && error.code === 'invalid_response',
    );
  });
});

describe('mapAnthropicFinishReason', () => {
  test('every documented stop_reason', () => {
    const cases: [string | null, boolean, string][] = [
      ['end_turn', false, 'stop'],
      ['stop_sequence', false, 'stop'],
      ['pause_turn', false, 'stop'],
      ['max_tokens', false, 'length'],
      ['model_context_window_exceeded', false, 'length'],
      ['tool_use', true, 'tool_calls'],
      ['tool_use', false, 'stop'],
      ['refusal', false, 'content_filter'],
      [null, true, 'tool_calls'],
      [null, false, 'stop'],
    ];
    for (const [reason, hasToolCalls, expected] of cases) {
      assert.equal(mapAnthropicFinishReason(reason, hasToolCalls), expected, `${reason} (${hasToolCalls})`);
    }
  });
});
