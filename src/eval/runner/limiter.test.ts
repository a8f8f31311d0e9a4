import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLimiter } from './limiter.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('createLimiter', () => {
  test('never more than `concurrency` tasks at once, and every task runs', async () => {
    const limit = createLimiter({ concurrency: 3 });
    let active = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limit(async () => {
          active++;
          peak = Math.max(peak, active);
          await tick();
          active--;
          return i;
        }),
      ),
    );
    assert.equal(peak, 3);
    assert.deepEqual(
      results,
      Array.from({ length: 20 }, (_, i) => i),
    );
  });

  test('a failing task frees its slot', async () => {
    const limit = createLimiter({ concurrency: 1 });
    await assert.rejects(
      limit(async () => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(await limit(async () => 'next'), 'next');
  });

  test('rpm spaces starts 60000/rpm ms apart', async () => {
    const delays: number[] = [];
    const limit = createLimiter({
      concurrency: 10,
      rpm: 600, // one start per 100 ms
      now: () => 0,
      sleep: async (ms) => void delays.push(ms),
    });
    await Promise.all(Array.from({ length: 4 }, () => limit(async () => {})));
    // The first starts at once; the others wait for their slot, one interval after the previous.
    assert.deepEqual(delays, [100, 200, 300]);
  });

  test('refuses a concurrency that is not a positive integer', () => {
    assert.throws(() => createLimiter({ concurrency: 0 }), /positive integer/);
  });
});
