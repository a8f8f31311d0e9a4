/**
 * In-memory `BudgetLedger`. Each decision runs to completion without awaiting, so it is atomic within
 * the process; nothing is shared with other processes or survives a restart.
 */
import { randomUUID } from 'node:crypto';
import type { BudgetLedger } from '../ports/budget-ledger.js';
import type { UsageLog } from '../ports/usage-log.js';
import { admitsReservation, checkReservation, startedSpend } from '../shared/budget-admission.js';
import { checkNonNegative } from '../shared/checks.js';

interface Hold {
  keyId: string;
  periodStart: number;
  amountUsd: number;
  expiresAt: number;
}

/** `usage` seeds a key's first reservation in a period (see the port); without it periods start at 0. */
export function createMemoryBudgetLedger(now: () => number, usage?: UsageLog): BudgetLedger {
  const spent = new Map<string, number>();
  const holds = new Map<string, Hold>();
  const slot = (keyId: string, periodStart: number) => `${periodStart}\u0000${keyId}`;
  const seed = (keyId: string, periodStart: number) =>
    usage ? startedSpend(usage, keyId, periodStart) : Promise.resolve(0);

  return {
    async reserve(reservation) {
      const { keyId, periodStart, amountUsd, limitUsd, ttlMs } = checkReservation(reservation);
      const at = slot(keyId, periodStart);
      if (!spent.has(at)) {
        const seeded = await seed(keyId, periodStart);
        // Another reservation may have seeded it while this one waited.
        if (!spent.has(at)) spent.set(at, seeded);
      }
      // From here on nothing awaits: the decision and the hold are one step.
      const t = now();
      let held = 0;
      for (const [id, hold] of holds) {
        if (hold.keyId !== keyId || hold.periodStart !== periodStart) continue;
        if (hold.expiresAt <= t) holds.delete(id);
        else held += hold.amountUsd;
      }
      const spentUsd = spent.get(at) ?? 0;
      if (!admitsReservation(spentUsd, held, amountUsd, limitUsd))
        return { allowed: false, spentUsd, heldUsd: held };
      const id = randomUUID();
      holds.set(id, { keyId, periodStart, amountUsd, expiresAt: t + ttlMs });
      return { allowed: true, spentUsd, heldUsd: held, hold: { id, keyId, periodStart } };
    },
    async settle(hold, actualUsd) {
      checkNonNegative(actualUsd, 'actualUsd');
      holds.delete(hold.id);
      const at = slot(hold.keyId, hold.periodStart);
      spent.set(at, (spent.get(at) ?? 0) + actualUsd);
    },
    async spent(keyId, periodStart) {
      return spent.get(slot(keyId, periodStart)) ?? (await seed(keyId, periodStart));
    },
  };
}
