import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChatResult } from './chat-event.js';
import { collectStream } from './collect-stream.js';
import { replayResult } from './replay-result.js';

const result: ChatResult = {
  id: 'chatcmpl-1',
  model: 'gpt-4o-mini',
  created: 1700000000,
  text: 'x'.repeat(150),
  toolCalls: [],
  finishReason: 'stop',
  reasoning: 'thought',
  choices: [
    { index: 0, text: 'x'.repeat(150), toolCalls: [], finishReason: 'stop', reasoning: 'thought' },
    {
      index: 1,
      text: '',
      toolCalls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
      finishReason: 'tool_calls',
    },
  ],
  usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 },
  cost: { input: 1, cachedInput: 0, output: 2, total: 3 },
};

describe('replayResult', () => {
  test('collectStream of the replay gives back the result', async () => {
    const back = await collectStream(replayResult(result, { textChunkSize: 64 }));
    assert.deepEqual(back, result);
  });

  test('text is split into chunks of the given size, under the given id', () => {
    const events = [...replayResult(result, { id: 'other', textChunkSize: 64 })];
    assert.deepEqual(events[0], { type: 'start', id: 'other', model: 'gpt-4o-mini', created: 1700000000 });
    const texts = events.flatMap((e) => (e.type === 'text-delta' ? [e.text.length] : []));
    assert.deepEqual(texts, [64, 64, 22]);
  });
});
