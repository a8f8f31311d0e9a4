/**
 * Concurrency on one loaded model: parallel sequences, the bounded queue, and aborts that hand the
 * sequence to the next request.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChatEvent } from '../core/chat-event.js';
import type { ChatRequest } from '../core/chat-request.js';
import { collectStream } from '../core/collect-stream.js';
import { ConduitError } from '../core/errors.js';
import { createLocal, type LocalProvider } from './local-provider.js';
import { testModelPath } from './test-support/test-model.js';

let path: string;
const providers: LocalProvider[] = [];
const provider = (settings: Parameters<typeof createLocal>[0]) => {
  const p = createLocal({ threads: 1, contextSize: 4096, chatWrapper: 'jinjaTemplate', ...settings });
  providers.push(p);
  return p;
};

before(async () => {
  path = await testModelPath();
});
after(async () => {
  for (const p of providers) await p.dispose();
});

/** A request that runs until max_tokens: `</s>`, `<|im_start|>` and `<|im_end|>` are banned. */
const endless = (content: string, max_tokens = 4000): ChatRequest => ({
  messages: [{ role: 'user', content }],
  max_tokens,
  logit_bias: { '2': -100, '260': -100, '261': -100 },
});

/** Resolves with the iterator once the stream has produced its first text. */
async function firstText(events: AsyncIterable<ChatEvent>): Promise<AsyncIterator<ChatEvent>> {
  const iterator = events[Symbol.asyncIterator]();
  const seen: ChatEvent[] = [];
  for (;;) {
    const { value, done } = await iterator.next();
    if (done) throw new Error(`stream ended before any text: ${JSON.stringify(seen)}`);
    seen.push(value);
    if (value.type === 'text-delta') return iterator;
  }
}

async function drain(iterator: AsyncIterator<ChatEvent>): Promise<ChatEvent[]> {
  const rest: ChatEvent[] = [];
  for (let r = await iterator.next(); !r.done; r = await iterator.next()) rest.push(r.value);
  return rest;
}

describe('parallel sequences', () => {
  test('8 concurrent requests generate at the same time in 8 sequences and all complete', async () => {
    const local = provider({ sequences: 8 });
    const model = local.languageModel(path);
    const iterators = await Promise.all(
      Array.from({ length: 8 }, (_, i) => firstText(model.stream(endless(`request ${i}`, 48)))),
    );
    // Every request has produced text and none has finished: they are all in flight together.
    assert.deepEqual(
      local.status().map((s) => [s.running, s.waiting]),
      [[8, 0]],
    );
    const finished = await Promise.all(iterators.map(drain));
    for (const events of finished) {
      assert.deepEqual(events.at(-1), { type: 'finish', reason: 'length' });
    }
    const snapshot = local.metrics.snapshot().models.tiny!;
    assert.equal(snapshot.finished.length, 8);
    assert.equal(snapshot.generationTokens, 8 * 48);
    assert.equal(snapshot.timeToFirstToken.count, 8);
  });
});

describe('queue bound', () => {
  test('past the sequences and the waiting room, requests are refused with overloaded and a retry hint', async () => {
    const local = provider({ sequences: 1, maxWaiting: 1 });
    const model = local.languageModel(path);
    const stop = new AbortController();
    const running = await firstText(model.stream(endless('first'), { signal: stop.signal }));
    const waiting = collectStream(model.stream(endless('second', 8)));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(local.status()[0]?.waiting, 1);
    await assert.rejects(model.generate(endless('third', 8)), (error: unknown) => {
      assert.ok(ConduitError.isInstance(error));
      assert.equal(error.code, 'overloaded');
      assert.equal(error.status, 503);
      assert.equal(error.retryable, true);
      assert.ok((error.retryAfterMs ?? 0) > 0);
      return true;
    });
    assert.equal(local.metrics.snapshot().models.tiny?.rejected, 1);
    stop.abort();
    await drain(running).catch(() => {});
    assert.equal((await waiting).finishReason, 'length');
  });
});

describe('abort', () => {
  test('an aborted request stops generating and its sequence serves the next request at once', async () => {
    const local = provider({ sequences: 1 });
    const model = local.languageModel(path);
    const stop = new AbortController();
    const started = Date.now();
    const first = await firstText(model.stream(endless('long one', 4000), { signal: stop.signal }));
    const next = collectStream(model.stream(endless('next', 16)));
    stop.abort();
    const rest = await drain(first);
    const last = rest.at(-1);
    assert.equal(last?.type, 'error');
    assert.equal(last?.type === 'error' && last.error.code, 'cancelled');
    const result = await next;
    assert.equal(result.usage.completionTokens, 16);
    // 4000 tokens take seconds; the next request did not wait for them.
    const elapsed = Date.now() - started;
    const perToken = (local.metrics.snapshot().models.tiny?.interTokenLatency.sum ?? 0) / 16;
    assert.ok(elapsed < 4000 * perToken * 1000, `took ${elapsed} ms`);
    assert.deepEqual(
      local.status().map((s) => s.running),
      [0],
    );
  });

  test('breaking out of the stream frees the sequence too', async () => {
    const local = provider({ sequences: 1 });
    const model = local.languageModel(path);
    for await (const event of model.stream(endless('break me'))) if (event.type === 'text-delta') break;
    assert.deepEqual(
      local.status().map((s) => s.running),
      [0],
    );
    const result = await model.generate(endless('after', 4));
    assert.equal(result.usage.completionTokens, 4);
  });

  test('a request aborted while waiting leaves the queue without running', async () => {
    const local = provider({ sequences: 1 });
    const model = local.languageModel(path);
    const holder = new AbortController();
    const running = await firstText(model.stream(endless('holder'), { signal: holder.signal }));
    const waiter = new AbortController();
    const queued = model.generate(endless('queued', 4), { signal: waiter.signal });
    await new Promise((resolve) => setImmediate(resolve));
    waiter.abort();
    await assert.rejects(queued, { code: 'cancelled' });
    assert.equal(local.status()[0]?.waiting, 0);
    holder.abort();
    await drain(running).catch(() => {});
  });
});
