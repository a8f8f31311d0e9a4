/**
 * Contract every `BudgetLedger` adapter must pass, with the usage log of the same storage (a new
 * period is seeded from it). Amounts are chosen so the admission rule's edges are exact.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BudgetLedger, BudgetReservation } from '../ports/budget-ledger.js';
import type { UsageLog } from '../ports/usage-log.js';
import { assertClose, type PortFactory, rejectsWithCode, withPort } from './port-fixture.js';

export interface BudgetPorts {
  budgets: BudgetLedger;
  usage: UsageLog;
}

const DAY = 86_400_000;
const P1 = Date.UTC(2030, 0, 1);
const P2 = P1 + DAY;
const TTL = 600_000;

const reservation = (overrides: Partial<BudgetReservation> = {}): BudgetReservation => ({
  keyId: 'key-a',
  periodStart: P1,
  amountUsd: 0.005,
  limitUsd: 0.05,
  ttlMs: TTL,
  ...overrides,
});

export function budgetLedgerContract(adapter: string, factory: PortFactory<BudgetPorts>): void {
  const run = (body: (ports: BudgetPorts) => Promise<void>) => () => withPort(factory, body);

  describe(`BudgetLedger contract (${adapter})`, () => {
    test(
      '100 concurrent reservations of $0.005 against $0.05 for a new key admit exactly 10',
      run(async ({ budgets }) => {
        const decisions = await Promise.all(
          Array.from({ length: 100 }, () => budgets.reserve(reservation())),
        );
        const admitted = decisions.filter((d) => d.allowed);
        assert.equal(admitted.length, 10);
        assert.equal(new Set(admitted.map((d) => d.hold?.id)).size, 10, 'one hold each');
        for (const d of decisions) {
          assert.equal(d.spentUsd, 0);
          assert.equal(d.hold === undefined, !d.allowed);
        }
        for (const d of decisions.filter((d) => !d.allowed)) assertClose(d.heldUsd, 0.05);
        // Settled at their actual cost, the holds make room again.
        await Promise.all(admitted.map((d) => budgets.settle(d.hold!, 0.004)));
        assertClose(await budgets.spent('key-a', P1), 0.04);
        const next = await budgets.reserve(reservation({ amountUsd: 0.01 }));
        assert.equal(next.allowed, true);
        assertClose(next.spentUsd, 0.04);
        assert.equal(next.heldUsd, 0);
      }),
    );

    test(
      'a reservation that does not fit runs only alone, and only while something is left',
      run(async ({ budgets }) => {
        const big = await budgets.reserve(reservation({ amountUsd: 0.2 }));
        assert.equal(big.allowed, true, 'nothing held and nothing spent: admitted alone');
        assert.equal((await budgets.reserve(reservation({ amountUsd: 0.001 }))).allowed, false);
        await budgets.settle(big.hold!, 0.049);
        const last = await budgets.reserve(reservation({ amountUsd: 0.2 }));
        assert.equal(last.allowed, true, '$0.001 left and nothing held');
        await budgets.settle(last.hold!, 0.002);
        const refused = await budgets.reserve(reservation({ amountUsd: 0 }));
        assert.equal(refused.allowed, false, 'nothing left, even for a free request');
        assertClose(refused.spentUsd, 0.051);
      }),
    );

    test(
      'a budget of 0 admits nothing',
      run(async ({ budgets }) => {
        for (const amountUsd of [0, 0.01])
          assert.equal((await budgets.reserve(reservation({ limitUsd: 0, amountUsd }))).allowed, false);
      }),
    );

    test(
      'keys and periods are counted apart; a new period starts from nothing',
      run(async ({ budgets }) => {
        const a = await budgets.reserve(reservation({ amountUsd: 0.05 }));
        await budgets.settle(a.hold!, 0.05);
        assert.equal((await budgets.reserve(reservation())).allowed, false);
        assert.equal((await budgets.reserve(reservation({ keyId: 'key-b' }))).allowed, true);
        const next = await budgets.reserve(reservation({ periodStart: P2 }));
        assert.equal(next.allowed, true);
        assert.equal(next.spentUsd, 0);
        assertClose(await budgets.spent('key-a', P1), 0.05, 'the old period keeps its spend');
        assert.equal(await budgets.spent('key-a', P2), 0);
      }),
    );

    test(
      'a request settles to the period it was admitted in, also after the period rolled over',
      run(async ({ budgets }) => {
        const late = await budgets.reserve(reservation({ amountUsd: 0.01 }));
        const fresh = await budgets.reserve(reservation({ periodStart: P2, amountUsd: 0.05 }));
        assert.equal(fresh.allowed, true, 'the old period’s hold does not count in the new one');
        await budgets.settle(late.hold!, 0.01);
        assertClose(await budgets.spent('key-a', P1), 0.01);
        assert.equal(await budgets.spent('key-a', P2), 0);
      }),
    );

    test(
      'an expired hold no longer counts, and its late settlement still adds the cost',
      run(async ({ budgets }) => {
        const crashed = await budgets.reserve(reservation({ amountUsd: 0.05, ttlMs: 0 }));
        assert.equal(crashed.allowed, true);
        const next = await budgets.reserve(reservation({ amountUsd: 0.05 }));
        assert.equal(next.allowed, true, 'the expired hold was dropped');
        assert.equal(next.heldUsd, 0);
        await budgets.settle(crashed.hold!, 0.03);
        assertClose(await budgets.spent('key-a', P1), 0.03);
        await budgets.settle(next.hold!, 0);
        assertClose(await budgets.spent('key-a', P1), 0.03);
      }),
    );

    test(
      'a new period starts from the usage log’s spend of requests that started in it',
      run(async ({ budgets, usage }) => {
        const row = (n: number, createdAt: number, latencyMs: number, costUsd: number, keyId = 'key-a') => ({
          requestId: `seed-${n}`,
          alias: 'fast',
          status: 200,
          keyId,
          createdAt,
          latencyMs,
          costUsd,
        });
        await usage.appendBatch([
          row(1, P1 - 10, 5, 1), // the previous period
          row(2, P1 + 100, 500, 2), // started in the previous period, charged there
          row(3, P1 + 100, 100, 0.01), // started exactly at the period's start
          row(4, P1 + 5000, 10, 0.02),
          row(5, P1 + 5000, 10, 5, 'key-b'),
        ]);
        assertClose(await budgets.spent('key-a', P1), 0.03, 'reported before any reservation');
        const first = await budgets.reserve(reservation({ amountUsd: 0.02 }));
        assert.equal(first.allowed, true);
        assertClose(first.spentUsd, 0.03);
        assert.equal((await budgets.reserve(reservation({ amountUsd: 0.001 }))).allowed, false);
        // From then on the ledger is the record: later log rows are not added again.
        await usage.appendBatch([row(6, P1 + 6000, 10, 0.5)]);
        await budgets.settle(first.hold!, 0.01);
        assertClose(await budgets.spent('key-a', P1), 0.04);
      }),
    );

    test(
      'nonsensical arguments are refused',
      run(async ({ budgets }) => {
        await rejectsWithCode(budgets.reserve(reservation({ amountUsd: -1 })), 'bad_request');
        await rejectsWithCode(budgets.reserve(reservation({ limitUsd: Number.NaN })), 'bad_request');
        await rejectsWithCode(budgets.reserve(reservation({ keyId: '' })), 'bad_request');
        const hold = (await budgets.reserve(reservation())).hold!;
        await rejectsWithCode(budgets.settle(hold, -0.01), 'bad_request');
      }),
    );
  });
}
