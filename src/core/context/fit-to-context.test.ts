import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConduitError } from '../errors.js';
import type { ChatMessage } from '../messages.js';
import { countMessageTokens } from '../tokens/count-message-tokens.js';
import { type FitToContextOptions, fitToContext, SUMMARY_PREFIX } from './fit-to-context.js';

const model = 'gpt-4o';
const tokens = (messages: ChatMessage[]) => countMessageTokens(messages, { model }).tokens;
const words = (n: number, word = 'word') => Array.from({ length: n }, () => word).join(' ');
const call = (id: string) => ({
  id,
  type: 'function' as const,
  function: { name: 'search', arguments: '{"q":"x"}' },
});

/** system, then 10 exchanges of ~100-token turns, the last user message being the question. */
function conversation(): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'system', content: 'You are terse.' }];
  for (let i = 0; i < 10; i++) {
    messages.push({ role: 'user', content: `question ${i} ${words(100)}` });
    if (i === 3) {
      messages.push({ role: 'assistant', content: null, tool_calls: [call('t1'), call('t2')] });
      messages.push({ role: 'tool', tool_call_id: 't1', content: words(100, 'result') });
      messages.push({ role: 'tool', tool_call_id: 't2', content: words(100, 'result') });
    }
    if (i < 9) messages.push({ role: 'assistant', content: `answer ${i} ${words(100)}` });
  }
  return messages;
}

function assertNoOrphanTools(messages: ChatMessage[]) {
  const calls = new Set<string>();
  for (const m of messages) {
    if (m.role === 'assistant') for (const c of m.tool_calls ?? []) calls.add(c.id);
    if (m.role === 'tool') assert.ok(calls.has(m.tool_call_id), `orphan tool result ${m.tool_call_id}`);
  }
  for (const m of messages) {
    if (m.role === 'assistant' && m.tool_calls) {
      const answered = messages.filter(
        (t) => t.role === 'tool' && m.tool_calls!.some((c) => c.id === t.tool_call_id),
      );
      assert.equal(answered.length, m.tool_calls.length, 'a kept tool call keeps all its results');
    }
  }
}

const isContextError = (e: unknown) => ConduitError.isInstance(e) && e.code === 'context_length_exceeded';

describe('fitToContext', () => {
  test('returns the messages unchanged when they fit', async () => {
    const messages = conversation();
    const result = await fitToContext(messages, { maxTokens: 100_000, strategy: 'drop-oldest', model });
    assert.deepEqual(result, {
      messages,
      tokens: tokens(messages),
      dropped: 0,
      truncated: 0,
      strategy: 'drop-oldest',
    });
  });

  describe("'drop-oldest'", () => {
    test('drops the oldest turns, keeps system and the last user message, and fits', async () => {
      const messages = conversation();
      const result = await fitToContext(messages, { maxTokens: 800, strategy: 'drop-oldest', model });
      assert.ok(result.tokens <= 800);
      assert.equal(result.tokens, tokens(result.messages));
      assert.deepEqual(result.messages[0], messages[0]);
      assert.deepEqual(result.messages.at(-1), messages.at(-1));
      assert.equal(result.dropped, messages.length - result.messages.length);
      // What is kept is a suffix of the conversation: the newest turns survive.
      assert.deepEqual(
        result.messages.slice(1),
        messages.slice(messages.length - result.messages.length + 1),
      );
    });

    test('the kept history opens with a user message, not a reply whose question was dropped', async () => {
      const messages = conversation();
      for (let budget = 300; budget <= tokens(messages); budget += 53) {
        const result = await fitToContext(messages, { maxTokens: budget, strategy: 'drop-oldest', model });
        if (result.dropped > 0) assert.equal(result.messages[1]?.role, 'user', `budget ${budget}`);
      }
    });

    test('never leaves a tool result without its call, at any budget', async () => {
      const messages = conversation();
      for (let budget = 300; budget <= tokens(messages); budget += 37) {
        const result = await fitToContext(messages, { maxTokens: budget, strategy: 'drop-oldest', model });
        assertNoOrphanTools(result.messages);
        assert.ok(result.tokens <= budget);
      }
    });

    test('throws context_length_exceeded naming the counts when system + last user alone are too big', async () => {
      const messages: ChatMessage[] = [
        { role: 'system', content: words(300) },
        { role: 'user', content: 'old' },
        { role: 'user', content: words(300) },
      ];
      await assert.rejects(
        fitToContext(messages, { maxTokens: 400, strategy: 'drop-oldest', model }),
        (e: unknown) => {
          assert.ok(isContextError(e));
          assert.match((e as Error).message, /needs \d+ tokens and the budget is 400.*still need \d+ tokens/);
          return true;
        },
      );
    });

    test('uses a caller-provided counter', async () => {
      const messages = conversation();
      const count = (list: ChatMessage[]) => list.length * 10;
      const result = await fitToContext(messages, {
        maxTokens: 50,
        strategy: 'drop-oldest',
        countTokens: count,
      });
      assert.equal(result.tokens, result.messages.length * 10);
      assert.ok(result.tokens <= 50);
      assertNoOrphanTools(result.messages);
    });
  });

  describe("'truncate-middle'", () => {
    test('keeps the start and the end and drops from the middle', async () => {
      const messages = conversation();
      const result = await fitToContext(messages, { maxTokens: 900, strategy: 'truncate-middle', model });
      assert.ok(result.tokens <= 900);
      assert.deepEqual(
        result.messages.slice(0, 2),
        messages.slice(0, 2),
        'system and the first question survive',
      );
      assert.deepEqual(result.messages.slice(-2), messages.slice(-2), 'the last exchange survives');
      assert.ok(result.dropped > 0);
      assert.equal(result.truncated, 0);
      assertNoOrphanTools(result.messages);
    });

    test('cuts the middle of a single message that is too long on its own', async () => {
      const log = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n');
      const messages: ChatMessage[] = [
        { role: 'system', content: 'Summarize the log.' },
        { role: 'user', content: log },
      ];
      const result = await fitToContext(messages, { maxTokens: 300, strategy: 'truncate-middle', model });
      assert.ok(result.tokens <= 300, `${result.tokens}`);
      assert.equal(result.truncated, 1);
      assert.equal(result.dropped, 0);
      assert.deepEqual(
        result.messages[0],
        messages[0],
        'the system prompt is not cut while another text can be',
      );
      const text = result.messages[1]!.content as string;
      assert.ok(text.startsWith('line 0\n') && text.endsWith('line 1999'));
      assert.match(text, /\n…\[truncated \d+ tokens\]…\n/);
    });

    test('throws when even truncation cannot make room', async () => {
      const messages: ChatMessage[] = [{ role: 'user', content: 'hi' }];
      await assert.rejects(
        fitToContext(messages, { maxTokens: 5, strategy: 'truncate-middle', model }),
        isContextError,
      );
    });
  });

  describe("'summarize-older'", () => {
    test('replaces older turns with one summary the caller produced', async () => {
      const messages = conversation();
      const seen: ChatMessage[][] = [];
      const result = await fitToContext(messages, {
        maxTokens: 800,
        strategy: 'summarize-older',
        model,
        summarize: async (older) => {
          seen.push(older);
          return 'The user asked nine questions about words.';
        },
      });
      assert.equal(seen.length, 1);
      assert.ok(result.tokens <= 800);
      assert.deepEqual(result.messages[0], messages[0]);
      assert.deepEqual(result.messages[1], {
        role: 'system',
        content: `${SUMMARY_PREFIX}The user asked nine questions about words.`,
      });
      assert.deepEqual(result.messages.at(-1), messages.at(-1));
      assert.equal(result.dropped, seen[0]!.length);
      assert.equal(result.messages.length, messages.length - result.dropped + 1);
      assert.deepEqual(seen[0], messages.slice(1, 1 + seen[0]!.length), 'the oldest messages, in order');
      assert.equal(result.messages[2]?.role, 'user', 'no reply is left without its question');
      assertNoOrphanTools(seen[0]!);
      assertNoOrphanTools(result.messages);
    });

    test('cuts a summary that comes back longer than the room left for it', async () => {
      const result = await fitToContext(conversation(), {
        maxTokens: 800,
        strategy: 'summarize-older',
        model,
        summarize: async () => words(2000, 'summary'),
      });
      assert.ok(result.tokens <= 800);
      assert.match(result.messages[1]!.content as string, /truncated \d+ tokens/);
    });

    test('does not call the model when the conversation already fits', async () => {
      const options: FitToContextOptions = {
        maxTokens: 100_000,
        strategy: 'summarize-older',
        model,
        summarize: async () => assert.fail('summarize must not be called'),
      };
      assert.equal((await fitToContext(conversation(), options)).dropped, 0);
    });

    test('requires a summarize function', async () => {
      await assert.rejects(
        fitToContext(conversation(), { maxTokens: 800, strategy: 'summarize-older', model }),
        (e: unknown) => ConduitError.isInstance(e) && e.code === 'bad_request',
      );
    });
  });

  test('rejects a non-positive budget', async () => {
    await assert.rejects(fitToContext([], { maxTokens: 0, strategy: 'drop-oldest' }), /maxTokens/);
  });
});
