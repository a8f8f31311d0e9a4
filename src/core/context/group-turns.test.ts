import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChatMessage } from '../messages.js';
import { groupTurns } from './group-turns.js';

const call = (id: string) => ({ id, type: 'function' as const, function: { name: 'f', arguments: '{}' } });

describe('groupTurns', () => {
  test('an assistant tool call and its results form one turn, even when results are not adjacent', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 's' },
      { role: 'user', content: 'u1' },
      { role: 'assistant', tool_calls: [call('a'), call('b')] },
      { role: 'tool', tool_call_id: 'a', content: 'ra' },
      { role: 'user', content: 'interjection' },
      { role: 'tool', tool_call_id: 'b', content: 'rb' },
      { role: 'assistant', content: 'done' },
      { role: 'user', content: 'u2' },
    ];
    assert.deepEqual(
      groupTurns(messages).map((t) => [t.indices, t.pinned]),
      [
        [[0], true],
        [[1], false],
        [[2, 3, 5], false],
        [[4], false],
        [[6], false],
        [[7], true],
      ],
    );
  });

  test('pins the newest turn when an agent loop ends in tool results', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'u1' },
      { role: 'assistant', content: 'a1' },
      { role: 'user', content: 'u2' },
      { role: 'assistant', tool_calls: [call('x')] },
      { role: 'tool', tool_call_id: 'x', content: 'rx' },
    ];
    assert.deepEqual(
      groupTurns(messages).map((t) => t.pinned),
      [false, false, true, true],
    );
  });
});
