/**
 * The gateway driven by the official `@anthropic-ai/sdk` client on /v1/messages, with an
 * OpenAI-compatible upstream behind it: the translation works both ways.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { aliasYaml, type Harness, startHarness } from '../support/gateway-harness.js';

let h: Harness;
let client: Anthropic;

before(async () => {
  h = await startHarness({ config: ([a]) => ['models:', aliasYaml('claude-like', [a!])].join('\n') });
  client = new Anthropic({ apiKey: 'dev-mode', baseURL: h.url, maxRetries: 0 });
});
after(() => h.close());

describe('anthropic client → gateway', () => {
  test('messages.create: text, stop reason, usage; system and max_tokens reach the upstream', async () => {
    const message = await client.messages.create({
      model: 'claude-like',
      max_tokens: 64,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'hello' }],
    });
    assert.equal(message.type, 'message');
    assert.deepEqual(message.content, [{ type: 'text', text: 'Echo: hello' }]);
    assert.equal(message.stop_reason, 'end_turn');
    assert.ok(message.usage.input_tokens > 0 && message.usage.output_tokens > 0);
    const sent = h.upstreams[0]!.requests.at(-1)!.body;
    assert.deepEqual((sent.messages as { role: string }[])[0], { role: 'system', content: 'Be brief.' });
    assert.equal(sent.max_tokens, 64);
  });

  test('streaming: the SDK folds our events into the final message', async () => {
    const stream = client.messages.stream({
      model: 'claude-like',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'one two three' }],
    });
    const deltas: string[] = [];
    stream.on('text', (t) => deltas.push(t));
    const final = await stream.finalMessage();
    assert.ok(deltas.length > 1);
    assert.deepEqual(final.content, [{ type: 'text', text: 'Echo: one two three' }]);
    assert.equal(final.stop_reason, 'end_turn');
    assert.ok(final.usage.output_tokens > 0);
  });

  test('tools: tool_use blocks out, tool_result blocks back in', async () => {
    const tools = [
      {
        name: 'get_weather',
        input_schema: {
          type: 'object' as const,
          properties: { city: { type: 'string' } },
          required: ['city'],
        },
      },
    ];
    const stream = client.messages.stream({
      model: 'claude-like',
      max_tokens: 64,
      tools,
      messages: [{ role: 'user', content: 'use the tool' }],
    });
    const first = await stream.finalMessage();
    assert.equal(first.stop_reason, 'tool_use');
    const use = first.content.find((b) => b.type === 'tool_use');
    assert.ok(use && use.type === 'tool_use');
    assert.equal(use.name, 'get_weather');
    assert.deepEqual(use.input, { city: 'text' });
    const second = await client.messages.create({
      model: 'claude-like',
      max_tokens: 64,
      tools,
      messages: [
        { role: 'user', content: 'use the tool' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '21 degrees' }] },
      ],
    });
    assert.deepEqual(second.content, [{ type: 'text', text: 'Done: the tool answered.' }]);
    const sent = h.upstreams[0]!.requests.at(-1)!.body.messages as {
      role: string;
      tool_call_id?: string;
      content?: unknown;
    }[];
    assert.deepEqual(sent.at(-1), { role: 'tool', tool_call_id: use.id, content: '21 degrees' });
  });

  test('images become image_url parts for the OpenAI-shaped upstream', async () => {
    await client.messages.create({
      model: 'claude-like',
      max_tokens: 16,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'text', text: 'what is it' },
          ],
        },
      ],
    });
    const sent = h.upstreams[0]!.requests.at(-1)!.body.messages as { content: unknown[] }[];
    assert.deepEqual(sent[0]!.content[0], {
      type: 'image_url',
      image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' },
    });
  });

  test('errors come back in Anthropic shape with the right class', async () => {
    await assert.rejects(
      client.messages.create({ model: 'nope', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }),
      (e: unknown) => e instanceof Anthropic.NotFoundError && /nope/.test(e.message),
    );
    await assert.rejects(
      // max_tokens is required by the Messages API.
      client.messages.create({ model: 'claude-like', messages: [{ role: 'user', content: 'x' }] } as never),
      (e: unknown) => e instanceof Anthropic.BadRequestError && /max_tokens/.test(e.message),
    );
    h.upstreams[0]!.enqueue({ status: 429, headers: { 'retry-after': '30' } });
    await assert.rejects(
      client.messages.create({
        model: 'claude-like',
        max_tokens: 8,
        messages: [{ role: 'user', content: 'x' }],
      }),
      (e: unknown) => e instanceof Anthropic.RateLimitError,
    );
  });
});
