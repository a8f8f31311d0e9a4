import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConduitError } from '../../core/errors.js';
import type { ChatMessage } from '../../core/messages.js';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';

const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function rejects(messages: ChatMessage[], code: string, param: string): void {
  assert.throws(
    () => convertToAnthropicMessages(messages),
    (error: unknown) => ConduitError.isInstance(error) && error.code === code && error.param === param,
  );
}

describe('convertToAnthropicMessages', () => {
  test('system and developer messages become the top-level system prompt, in order', () => {
    const { system, messages } = convertToAnthropicMessages([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
    ]);
    assert.deepEqual(system, [
      { type: 'text', text: 'Be brief.' },
      { type: 'text', text: 'Answer in French.' },
    ]);
    assert.deepEqual(messages, [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]);
  });

  test('images: data URLs become base64 sources, https URLs become url sources', () => {
    const { messages } = convertToAnthropicMessages([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare these.' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
        ],
      },
    ]);
    assert.deepEqual(messages[0]?.content, [
      { type: 'text', text: 'Compare these.' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });

  test('refuses image types and URL schemes Anthropic cannot read, naming the part', () => {
    const bmp = { type: 'image_url' as const, image_url: { url: 'data:image/bmp;base64,Qk0=' } };
    rejects([{ role: 'user', content: [bmp] }], 'unsupported', 'messages[0].content[0].image_url.url');
    const ftp = { type: 'image_url' as const, image_url: { url: 'ftp://example.com/a.png' } };
    rejects([{ role: 'user', content: [ftp] }], 'bad_request', 'messages[0].content[0].image_url.url');
  });

  test('a PDF file part becomes a document block titled by its file name', () => {
    const { messages } = convertToAnthropicMessages([
      {
        role: 'user',
        content: [
          {
            type: 'file',
            file: { filename: 'report.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' },
          },
        ],
      },
    ]);
    assert.deepEqual(messages[0]?.content, [
      {
        type: 'document',
        source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' },
        title: 'report.pdf',
      },
    ]);
  });

  test('audio and OpenAI file ids are refused as unsupported', () => {
    const audio = { type: 'input_audio' as const, input_audio: { data: 'AAAA', format: 'wav' } };
    rejects([{ role: 'user', content: [audio] }], 'unsupported', 'messages[0].content[0]');
    const fileId = { type: 'file' as const, file: { file_id: 'file-abc' } };
    rejects([{ role: 'user', content: [fileId] }], 'unsupported', 'messages[0].content[0].file');
  });

  test('consecutive same-role messages merge, so turns alternate', () => {
    const { messages } = convertToAnthropicMessages([
      { role: 'user', content: 'First question.' },
      { role: 'user', content: 'Second question.' },
      { role: 'assistant', content: 'One answer.' },
      { role: 'assistant', content: 'Another answer.' },
    ]);
    assert.deepEqual(
      messages.map((m) => [m.role, m.content.length]),
      [
        ['user', 2],
        ['assistant', 2],
      ],
    );
  });

  test('tool_calls become tool_use blocks and tool messages become one user turn of tool_results', () => {
    const { messages } = convertToAnthropicMessages([
      { role: 'user', content: 'Weather?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'toolu_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
          },
          { id: 'toolu_2', type: 'function', function: { name: 'get_time', arguments: '' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: '3°C' },
      { role: 'tool', tool_call_id: 'toolu_2', content: '' },
    ]);
    assert.deepEqual(messages.slice(1), [
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_time', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '3°C' },
          { type: 'tool_result', tool_use_id: 'toolu_2' },
        ],
      },
    ]);
  });

  test('tool_results are moved before user text merged into the same turn', () => {
    const { messages } = convertToAnthropicMessages([
      { role: 'user', content: 'Go.' },
      {
        role: 'assistant',
        tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{}' } }],
      },
      { role: 'user', content: 'Also, hurry.' },
      { role: 'tool', tool_call_id: 't1', content: 'done' },
    ]);
    assert.deepEqual(
      messages[2]?.content.map((block) => block.type),
      ['tool_result', 'text'],
    );
  });

  test('invalid tool-call arguments are a bad_request naming the message index', () => {
    rejects(
      [
        { role: 'user', content: 'Hi' },
        {
          role: 'assistant',
          tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{"a":' } }],
        },
      ],
      'bad_request',
      'messages[1].tool_calls[0].function.arguments',
    );
    rejects(
      [
        {
          role: 'assistant',
          tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '[1]' } }],
        },
      ],
      'bad_request',
      'messages[0].tool_calls[0].function.arguments',
    );
  });

  test('a final assistant prefill loses its trailing whitespace, which the API rejects', () => {
    const { messages } = convertToAnthropicMessages([
      { role: 'user', content: 'List three colours as JSON.' },
      { role: 'assistant', content: '{"colours": [ \n' },
    ]);
    assert.deepEqual(messages[1], { role: 'assistant', content: [{ type: 'text', text: '{"colours": [' }] });
  });

  test('empty text is dropped, and a conversation with no turns left is refused', () => {
    const { messages } = convertToAnthropicMessages([
      {
        role: 'user',
        content: [
          { type: 'text', text: '' },
          { type: 'text', text: 'Hi' },
        ],
      },
    ]);
    assert.deepEqual(messages, [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]);
    rejects([{ role: 'system', content: 'You are helpful.' }], 'bad_request', 'messages');
  });
});
