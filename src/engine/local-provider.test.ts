/**
 * The local provider on the generated tiny model: chat, streaming, usage, exact token counts,
 * prefix reuse, and the errors a caller sees before any work starts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChatEvent } from '../core/chat-event.js';
import { ConduitError } from '../core/errors.js';
import { countTokens } from '../core/tokens/count-tokens.js';
import { createLocal, type LocalProvider } from './local-provider.js';
import { testModelPath } from './test-support/test-model.js';

let local: LocalProvider;
let path: string;

before(async () => {
  path = await testModelPath();
  local = createLocal({ threads: 1, sequences: 2, contextSize: 1024 });
});
after(() => local.dispose());

const user = (content: string) => ({ messages: [{ role: 'user' as const, content }] });

describe('local chat', () => {
  test('generate answers through the chat template with usage and zero cost', async () => {
    const model = local.languageModel(path);
    const result = await model.generate({ ...user('Hello there'), max_tokens: 24, seed: 7 });
    assert.equal(model.id, `local:${path}`);
    assert.ok(result.text.length > 0);
    assert.ok(['stop', 'length'].includes(result.finishReason));
    // "<|im_start|>user\nHello there<|im_end|>\n<|im_start|>assistant\n": 2 special tokens, 5 more + 11 bytes
    const { usage } = result;
    assert.ok(usage.promptTokens > 11, `prompt tokens ${usage.promptTokens}`);
    assert.ok(usage.completionTokens > 0 && usage.completionTokens <= 24);
    assert.equal(usage.totalTokens, usage.promptTokens + usage.completionTokens);
    assert.deepEqual(result.cost, { input: 0, cachedInput: 0, output: 0, total: 0 });
  });

  test('text sampled byte by byte is always valid UTF-8 (no U+FFFD)', async () => {
    const model = local.languageModel(path);
    const never = { '2': -100, '260': -100, '261': -100 };
    for (const seed of [1, 2, 3]) {
      const result = await model.generate({
        ...user('Say anything'),
        max_tokens: 200,
        seed,
        temperature: 1,
        logit_bias: never,
      });
      assert.doesNotMatch(result.text, /\uFFFD/, `seed ${seed}: ${JSON.stringify(result.text)}`);
      assert.ok([...result.text].length > 40, 'multi-byte characters do occur');
    }
  });

  test('streams start, text deltas, usage and finish; the deltas make the text of generate', async () => {
    const model = local.languageModel(path);
    const request = { ...user('Stream please'), max_tokens: 32, temperature: 0 };
    const events: ChatEvent[] = [];
    for await (const event of model.stream(request)) events.push(event);
    assert.equal(events[0]?.type, 'start');
    assert.deepEqual(
      events.slice(-2).map((e) => e.type),
      ['usage', 'finish'],
    );
    const deltas = events.filter((e) => e.type === 'text-delta');
    assert.ok(deltas.length > 1, 'more than one delta: it streams');
    const streamed = deltas.map((e) => (e.type === 'text-delta' ? e.text : '')).join('');
    // Greedy decoding is deterministic: generate gives the same text.
    assert.equal((await model.generate(request)).text, streamed);
  });

  test('max_tokens stops with finish reason length', async () => {
    const never = { '2': -100, '260': -100, '261': -100 }; // </s>, <|im_start|>, <|im_end|>: it cannot stop by itself
    const result = await local
      .languageModel(path)
      .generate({ ...user('Go on'), max_tokens: 10, logit_bias: never });
    assert.equal(result.finishReason, 'length');
    assert.equal(result.usage.completionTokens, 10);
  });

  test('a stop sequence ends the answer before it', async () => {
    const model = local.languageModel(path);
    const base = {
      ...user('Count'),
      max_tokens: 40,
      temperature: 0,
      logit_bias: { '2': -100, '260': -100, '261': -100 },
    };
    const full = (await model.generate(base)).text;
    const stop = full.slice(6, 8);
    const cut = await model.generate({ ...base, stop });
    assert.equal(cut.finishReason, 'stop');
    assert.equal(cut.text, full.slice(0, full.indexOf(stop)));
  });

  test('the same seed gives the same answer; temperature sampling varies with the seed', async () => {
    const model = local.languageModel(path);
    const a = await model.generate({ ...user('Seeded'), max_tokens: 30, seed: 1, temperature: 1 });
    const b = await model.generate({ ...user('Seeded'), max_tokens: 30, seed: 1, temperature: 1 });
    const c = await model.generate({ ...user('Seeded'), max_tokens: 30, seed: 2, temperature: 1 });
    assert.equal(a.text, b.text);
    assert.notEqual(a.text, c.text);
  });

  test('a second turn reuses the cached prefix of the first', async () => {
    const model = local.languageModel(path);
    const first = [{ role: 'user' as const, content: 'Tell me something long about sequences' }];
    const one = await model.generate({ messages: first, max_tokens: 8, temperature: 0 });
    const two = await model.generate({
      messages: [...first, { role: 'assistant', content: one.text }, { role: 'user', content: 'And more?' }],
      max_tokens: 8,
      temperature: 0,
    });
    assert.ok((two.usage.cachedTokens ?? 0) >= one.usage.promptTokens - 1, JSON.stringify(two.usage));
  });

  test('token counts for local:<model> are the model’s own while it is loaded', async () => {
    await local.preload(path);
    const text = 'héllo wörld 🦊';
    const counted = countTokens(text, { model: `local:${path}` });
    assert.equal(counted.exact, true);
    // One byte token per UTF-8 byte, one "▁" token per space.
    assert.equal(counted.tokens, Buffer.byteLength(text.replaceAll(' ', ''), 'utf8') + 2);
    assert.deepEqual(await local.languageModel(path).tokenize('ab'), [3 + 0x61, 3 + 0x62]);
  });
});

describe('local errors', () => {
  test('an unknown model name fails before the first event, saying how to get one', async () => {
    const model = createLocal({ modelsDir: '/nonexistent-store' }).languageModel('no-such-model');
    await assert.rejects(model.generate(user('hi')), (error: unknown) => {
      assert.ok(ConduitError.isInstance(error));
      assert.equal(error.code, 'not_found');
      assert.equal(error.param, 'model');
      assert.match(error.message, /conduit pull/);
      return true;
    });
  });

  test('a timeout ends the stream with a timeout error and frees the sequence', async () => {
    const model = local.languageModel(path);
    const never = { '2': -100, '260': -100, '261': -100 };
    const events: ChatEvent[] = [];
    for await (const event of model.stream(
      { ...user('slow'), max_tokens: 4000, logit_bias: never },
      { timeout: { totalMs: 60 } },
    ))
      events.push(event);
    const last = events.at(-1);
    assert.equal(last?.type === 'error' && last.error.code, 'timeout');
    assert.deepEqual(
      local.status().map((s) => s.running),
      [0],
    );
  });

  test('a prompt longer than the sequence context is context_length_exceeded', async () => {
    const small = createLocal({ threads: 1, sequences: 1, contextSize: 256 });
    try {
      await assert.rejects(small.languageModel(path).generate(user('x'.repeat(400))), {
        code: 'context_length_exceeded',
      });
    } finally {
      await small.dispose();
    }
  });

  test('fields a local model cannot honour are refused by name', async () => {
    const model = local.languageModel(path);
    await assert.rejects(model.generate({ ...user('hi'), n: 2 }), { code: 'unsupported', param: 'n' });
    await assert.rejects(
      model.generate({
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }],
      }),
      { code: 'unsupported', param: 'messages[0].content[0]' },
    );
  });
});
