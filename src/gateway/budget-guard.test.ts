import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConduitError } from '../core/errors.js';
import type { PrincipalKey } from '../core/language-model.js';
import { createMemoryBudgetLedger } from '../storage/memory/memory-budget-ledger.js';
import type { BudgetLedger } from '../storage/ports/budget-ledger.js';
import { createBudgetGuard, periodStart } from './budget-guard.js';
import { virtualKey } from './policies/test-support/policy-fixtures.js';

const key = (overrides: Partial<PrincipalKey> = {}) => virtualKey({ budgetUsd: 0.05, ...overrides }).key;
const isBudgetExceeded = (e: unknown) => ConduitError.isInstance(e) && e.code === 'budget_exceeded';
const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;

/** Admits `n` requests of `estimate` at once, then settles each admitted one at `actual`. */
async function burst(admit: () => Promise<(usd: number) => void>, n: number, actual: number) {
  const outcomes = await Promise.allSettled(Array.from({ length: n }, admit));
  for (const o of outcomes) if (o.status === 'rejected') assert.ok(isBudgetExceeded(o.reason));
  const admitted = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  for (const settle of admitted) settle(actual);
  return admitted.length;
}

describe('periodStart', () => {
  test('day, ISO week from Monday, month (UTC), and all time', () => {
    const sunday = Date.UTC(2025, 5, 15, 23, 59); // Sunday 15 June 2025
    assert.equal(periodStart('daily', sunday), Date.UTC(2025, 5, 15));
    assert.equal(periodStart('weekly', sunday), Date.UTC(2025, 5, 9));
    assert.equal(periodStart('weekly', Date.UTC(2025, 5, 16, 0, 1)), Date.UTC(2025, 5, 16));
    assert.equal(periodStart('monthly', sunday), Date.UTC(2025, 5, 1));
    assert.equal(periodStart('total', sunday), 0);
  });
});

describe('BudgetGuard', () => {
  test('two processes over one ledger admit what fits the budget between them, for a new key', async () => {
    const ledger = createMemoryBudgetLedger(Date.now);
    const [a, b] = [createBudgetGuard(ledger), createBudgetGuard(ledger)];
    let turn = 0;
    const admitted = await burst(() => (turn++ % 2 ? a : b).admit(key(), 0.005), 100, 0.005);
    assert.equal(admitted, 10);
    assert.ok(close(await a.spent(key()), 0.05));
    assert.ok(close(await b.spent(key()), 0.05), 'the other process sees it at once');
  });

  test('a restarted process (a new guard over the same ledger) remembers the spend', async () => {
    const ledger = createMemoryBudgetLedger(Date.now);
    const before = createBudgetGuard(ledger);
    (await before.admit(key(), 0.04))(0.049);
    await before.flush();
    const after = createBudgetGuard(ledger);
    assert.ok(close(await after.spent(key()), 0.049));
    (await after.admit(key(), 0.01))(0.002);
    await assert.rejects(after.admit(key(), 0), (e: unknown) => {
      assert.ok(isBudgetExceeded(e));
      assert.match((e as ConduitError).message, /\$0\.05 \(total\).*\$0\.051000 spent/);
      return true;
    });
  });

  test('a new period starts fresh; the last one keeps its spend', async () => {
    let now = Date.UTC(2025, 5, 15, 23, 59, 59);
    const guard = createBudgetGuard(
      createMemoryBudgetLedger(() => now),
      { now: () => now },
    );
    const daily = key({ budgetPeriod: 'daily' });
    (await guard.admit(daily, 0.05))(0.05);
    await assert.rejects(guard.admit(daily, 0.001), isBudgetExceeded);
    // Admitted before midnight, settled after it: charged to the day it was admitted in.
    const late = await guard.admit(key({ id: 'key-2', budgetPeriod: 'daily' }), 0.01);
    now += 2_000;
    late(0.01);
    assert.equal(await guard.spent(daily), 0);
    assert.equal(await guard.spent(key({ id: 'key-2', budgetPeriod: 'daily' })), 0);
    (await guard.admit(daily, 0.05))(0.01);
    assert.ok(close(await guard.spent(daily), 0.01));
  });

  test('the error says what is spent and what is held by requests in flight', async () => {
    const guard = createBudgetGuard(createMemoryBudgetLedger(Date.now));
    await guard.admit(key(), 0.03);
    await assert.rejects(guard.admit(key(), 0.03), (e: unknown) => {
      assert.ok(isBudgetExceeded(e));
      assert.equal((e as ConduitError).status, 429);
      assert.match(
        (e as ConduitError).message,
        /\$0\.000000 spent and \$0\.030000 held by requests in flight/,
      );
      return true;
    });
  });

  test('a key without a budget never reaches the ledger; a bad estimate reserves nothing', async () => {
    const calls: string[] = [];
    const inner = createMemoryBudgetLedger(Date.now);
    const ledger: BudgetLedger = {
      reserve: (r) => {
        calls.push(`reserve ${r.amountUsd}`);
        return inner.reserve(r);
      },
      settle: (hold, usd) => {
        calls.push(`settle ${usd}`);
        return inner.settle(hold, usd);
      },
      spent: (id, start) => inner.spent(id, start),
    };
    const guard = createBudgetGuard(ledger);
    (await guard.admit(key({ budgetUsd: null }), 1))(1);
    const settle = await guard.admit(key(), Number.NaN);
    settle(Number.POSITIVE_INFINITY);
    settle(0.01);
    await guard.flush();
    assert.deepEqual(calls, ['reserve 0', 'settle 0'], 'settled once, with a non-finite cost as 0');
  });

  test('a settlement the ledger refuses is retried, then reported', async () => {
    const inner = createMemoryBudgetLedger(Date.now);
    let failures = 2;
    const errors: unknown[] = [];
    const flaky: BudgetLedger = {
      ...inner,
      settle: (hold, usd) =>
        failures-- > 0 ? Promise.reject(new Error('connection lost')) : inner.settle(hold, usd),
    };
    const guard = createBudgetGuard(flaky, { settleRetryMs: [0, 0], onError: (e) => errors.push(e) });
    (await guard.admit(key(), 0.01))(0.01);
    assert.ok(close(await guard.spent(key()), 0.01), 'recorded on the third attempt');
    failures = 3;
    (await guard.admit(key(), 0.01))(0.01);
    await guard.flush();
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /connection lost/);
  });
});
