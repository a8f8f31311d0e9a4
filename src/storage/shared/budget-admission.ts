/**
 * The budget admission rule and argument checks, shared by every `BudgetLedger` adapter (the
 * PostgreSQL function in migration 9 writes the same comparison in SQL), plus the seed of a new
 * period from the usage log for adapters that cannot ask SQL for it.
 */
import type { BudgetReservation } from '../ports/budget-ledger.js';
import type { UsageLog } from '../ports/usage-log.js';
import { checkNonEmpty, checkNonNegative } from './checks.js';

/** Absorbs float error in sums of small USD amounts, so "exactly at the limit" fits. */
export const BUDGET_EPSILON = 1e-12;

/**
 * Admitted while something is left (`spent < limit`) and either the reservation fits beside the
 * holds (`spent + held + amount <= limit`) or nothing is held. Then, when every reservation covers
 * its request's cost, the final spend is below `limit + the cost of the last request admitted alone`.
 */
export function admitsReservation(spent: number, held: number, amount: number, limit: number): boolean {
  return spent < limit && (spent + held + amount <= limit + BUDGET_EPSILON || held <= 0);
}

export function checkReservation(r: BudgetReservation): BudgetReservation {
  checkNonEmpty(r.keyId, 'keyId');
  checkNonNegative(r.periodStart, 'periodStart');
  checkNonNegative(r.amountUsd, 'amountUsd');
  checkNonNegative(r.limitUsd, 'limitUsd');
  checkNonNegative(r.ttlMs, 'ttlMs');
  return r;
}

/**
 * The usage log's spend of a key's requests that started at or after `periodStart` (finished at
 * `createdAt`, after `latencyMs`): exactly the requests a ledger would have charged to the period.
 * A request admitted in the previous period that finished in this one is not counted twice.
 */
export async function startedSpend(usage: UsageLog, keyId: string, periodStart: number): Promise<number> {
  let total = 0;
  let cursor: string | undefined;
  do {
    const page = await usage.query({ keyId, since: periodStart, limit: 1000, cursor });
    for (const row of page.rows) if (row.createdAt - row.latencyMs >= periodStart) total += row.costUsd;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return total;
}
