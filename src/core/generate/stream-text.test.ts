import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import type { ChatEvent } from '../chat-event.js';
import { ConduitError } from '../errors.js';
import { streamText } from './stream-text.js';
import { createScriptedModel } from './test-support/scripted-model.js';
import { tool } from './tool-definition.js';

const lookup = tool({
  parameters: z.object({ term: z.string() }),
  execute: ({ term }) => `${term} is a word`,
});

async function collect(events: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const out: ChatEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe('streamText', () => {
  test('streams the text of each step, running the tools in between', async () => {
    const model = createScriptedModel({
      chunkSize: 3,
      steps: [
        { text: 'Looking up.', toolCalls: [{ id: 't1', name: 'lookup', arguments: '{"term":"quokka"}' }] },
        (request) => {
          assert.deepEqual(request.messages.at(-1), {
            role: 'tool',
            tool_call_id: 't1',
            content: 'quokka is a word',
          });
          assert.deepEqual(request.messages.at(-2), {
            role: 'assistant',
            content: 'Looking up.',
            tool_calls: [
              { id: 't1', type: 'function', function: { name: 'lookup', arguments: '{"term":"quokka"}' } },
            ],
          });
          return { text: 'A quokka is a marsupial.' };
        },
      ],
    });
    const run = streamText({ model, prompt: 'What is a quokka?', tools: { lookup }, maxSteps: 3 });
    const events = await collect(run);
    const text = events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('');
    assert.equal(text, 'Looking up.A quokka is a marsupial.');
    assert.ok(events.filter((e) => e.type === 'text-delta').length > 5, 'text arrives in pieces');
    assert.deepEqual(
      events.filter((e) => e.type === 'finish').map((e) => e.type === 'finish' && e.reason),
      ['tool_calls', 'stop'],
    );
    const result = await run.result;
    assert.equal(result.text, 'A quokka is a marsupial.');
    assert.equal(result.steps.length, 2);
    assert.equal(result.steps[0]?.toolResults[0]?.result, 'quokka is a word');
    assert.equal(result.usage.totalTokens, 30);
  });

  test('the result settles even when nobody reads the events', async () => {
    const model = createScriptedModel({ steps: [{ text: 'unread' }] });
    const result = await streamText({ model, prompt: 'x' }).result;
    assert.equal(result.text, 'unread');
  });

  test('an error event mid-stream is forwarded once and rejects the result', async () => {
    const failure = new ConduitError('upstream_error', 'connection reset');
    const model = createScriptedModel({ steps: [{ text: 'partial answer', streamError: failure }] });
    const run = streamText({ model, prompt: 'x' });
    const events = await collect(run);
    assert.deepEqual(events.at(-1), { type: 'error', error: failure });
    assert.equal(events.filter((e) => e.type === 'error').length, 1);
    await assert.rejects(run.result, failure);
  });

  test('a failure before the first event makes the iteration throw', async () => {
    const model = createScriptedModel({ steps: [] }); // the stream throws on its first pull
    const run = streamText({ model, prompt: 'x' });
    await assert.rejects(collect(run), /no response queued/);
    await assert.rejects(run.result, /no response queued/);
  });
});
