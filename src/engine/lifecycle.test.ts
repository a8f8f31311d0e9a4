/**
 * Model lifecycle: load on first use, unload after the keep-alive TTL, least-recently-used eviction
 * past the loaded-model limit, and a memory budget that refuses what cannot fit.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { countTokens } from '../core/tokens/count-tokens.js';
import { createLocal, type LocalProvider } from './local-provider.js';
import { testModelPath } from './test-support/test-model.js';

let tiny: string;
let other: string;
const providers: LocalProvider[] = [];
const provider = (settings: Parameters<typeof createLocal>[0]) => {
  const p = createLocal({
    threads: 1,
    sequences: 1,
    contextSize: 512,
    chatWrapper: 'jinjaTemplate',
    ...settings,
  });
  providers.push(p);
  return p;
};
const hi = { messages: [{ role: 'user' as const, content: 'hi' }], max_tokens: 4 };

before(async () => {
  tiny = await testModelPath();
  other = await testModelPath({ seed: 7 }, 'other.gguf');
});
after(async () => {
  for (const p of providers) await p.dispose();
});

describe('keep-alive', () => {
  test('a model loads on first use and unloads after its idle TTL', async () => {
    const local = provider({ keepAliveMs: 400 });
    assert.deepEqual(local.status(), []);
    await local.languageModel(tiny).generate(hi);
    assert.deepEqual(
      local.status().map((s) => s.name),
      ['tiny'],
    );
    assert.equal(countTokens('abc', { model: `local:${tiny}` }).exact, true);
    await sleep(250);
    await local.languageModel(tiny).generate(hi); // use restarts the clock
    await sleep(150);
    assert.equal(local.status().length, 1, 'still loaded: last use was 150 ms ago');
    await sleep(500);
    assert.deepEqual(local.status(), []);
    // Counting falls back to an estimate once the model's tokenizer is gone.
    assert.equal(countTokens('abc', { model: `local:${tiny}` }).exact, false);
    // And the next request loads it again.
    assert.equal((await local.languageModel(tiny).generate(hi)).usage.completionTokens > 0, true);
  });

  test('a model in use is not unloaded by its TTL', async () => {
    const local = provider({ keepAliveMs: 20 });
    const stop = new AbortController();
    const events = local
      .languageModel(tiny)
      .stream(
        { ...hi, max_tokens: 100_000, logit_bias: { '2': -100, '260': -100, '261': -100 } },
        { signal: stop.signal },
      );
    const iterator = events[Symbol.asyncIterator]();
    await iterator.next();
    await sleep(80);
    assert.equal(local.status()[0]?.running, 1);
    stop.abort();
    while (!(await iterator.next()).done);
  });
});

describe('explicit unload', () => {
  test('unloading a busy model lets its running request finish, and the next request loads it again', async () => {
    const local = provider({});
    const model = local.languageModel(tiny);
    const iterator = model
      .stream({ ...hi, max_tokens: 64, logit_bias: { '2': -100, '260': -100, '261': -100 } })
      [Symbol.asyncIterator]();
    await iterator.next();
    await local.unload(tiny);
    assert.deepEqual(local.status(), [], 'no longer offered to new requests');
    const events = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) events.push(r.value);
    assert.deepEqual(events.at(-1), { type: 'finish', reason: 'length' });
    assert.equal((await model.generate(hi)).usage.completionTokens > 0, true);
    assert.equal(local.status().length, 1);
  });
});

describe('eviction', () => {
  test('past maxLoadedModels the least recently used idle model makes room', async () => {
    const local = provider({ maxLoadedModels: 1, keepAliveMs: 60_000 });
    await local.languageModel(tiny).generate(hi);
    await local.languageModel(other).generate(hi);
    assert.deepEqual(
      local.status().map((s) => s.name),
      ['other'],
    );
  });

  test('a model larger than the memory budget is refused with a clear reason', async () => {
    const local = provider({ memoryBudgetBytes: 1024 * 1024 });
    await assert.rejects(local.languageModel(tiny).generate(hi), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'unsupported');
      assert.match(error.message, /memory budget is 1 MiB/);
      return true;
    });
  });
});
