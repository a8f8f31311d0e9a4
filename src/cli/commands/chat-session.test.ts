import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseChatLine } from './chat-session.js';

describe('parseChatLine', () => {
  const cases: [string, ReturnType<typeof parseChatLine>][] = [
    ['  ', undefined],
    [' hello there ', { type: 'message', text: 'hello there' }],
    ['/help', { type: 'help' }],
    ['/HELP', { type: 'help' }],
    ['/?', { type: 'help' }],
    ['/quit', { type: 'exit' }],
    ['/bye', { type: 'exit' }],
    ['/reset', { type: 'clear' }],
    ['/model', { type: 'model' }],
    ['/model  openai:gpt-4o-mini ', { type: 'model', name: 'openai:gpt-4o-mini' }],
    ['/system You are terse.', { type: 'system', text: 'You are terse.' }],
    ['/system', { type: 'system' }],
    ['/hepl me', { type: 'unknown', command: '/hepl' }],
    ['/usr/bin is where?', { type: 'unknown', command: '/usr/bin' }],
    ['//usr/bin is where?', { type: 'message', text: '/usr/bin is where?' }],
  ];
  for (const [line, expected] of cases) {
    test(`${JSON.stringify(line)} → ${JSON.stringify(expected)}`, () =>
      assert.deepEqual(parseChatLine(line), expected));
  }
});
