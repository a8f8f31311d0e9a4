import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConduitError } from '../core/errors.js';
import { type Lease, SequencePool } from './sequence-pool.js';

describe('SequencePool', () => {
  test('leases free values, prefers the best-scoring one, and queues in arrival order', async () => {
    const changes: string[] = [];
    const pool = new SequencePool(['a', 'b'], {
      name: 'm',
      maxWaiting: 2,
      onChange: ({ running, waiting }) => changes.push(`${running}/${waiting}`),
    });
    const b = await pool.acquire({ score: (v) => (v === 'b' ? 10 : 1) });
    assert.equal(b.value, 'b');
    const a = await pool.acquire();
    const order: string[] = [];
    const track = (name: string) => (lease: Lease<string>) => {
      order.push(name);
      return lease;
    };
    const first = pool.acquire().then(track('first'));
    const second = pool.acquire().then(track('second'));
    assert.equal(pool.waiting, 2);
    a.release();
    a.release(); // idempotent
    b.release();
    await Promise.all([first, second]);
    assert.deepEqual(order, ['first', 'second']);
    assert.ok((await first).waitedMs >= 0);
    assert.equal(changes.at(-1), '2/0');
  });

  test('a full queue refuses with a retryable overloaded error that suggests a wait', async () => {
    const pool = new SequencePool(['a'], { name: 'm', maxWaiting: 0 });
    await pool.acquire();
    await assert.rejects(pool.acquire(), (error: unknown) => {
      assert.ok(ConduitError.isInstance(error));
      assert.equal(error.code, 'overloaded');
      assert.ok(error.retryAfterMs! >= 250);
      assert.match(error.message, /1 requests running, 0 waiting/);
      return true;
    });
  });

  test('an abort while waiting leaves the queue with the signal’s reason', async () => {
    const pool = new SequencePool(['a'], { name: 'm', maxWaiting: 4 });
    const held = await pool.acquire();
    const controller = new AbortController();
    const waiting = pool.acquire({ signal: controller.signal });
    controller.abort(new ConduitError('timeout', 'too slow'));
    await assert.rejects(waiting, { code: 'timeout' });
    assert.equal(pool.waiting, 0);
    held.release();
    assert.equal(pool.running, 0);
    assert.ok(pool.idle);
  });
});
