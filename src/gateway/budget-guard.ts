/**
 * Spend budgets per virtual key and period, holding under concurrency on any number of processes:
 * every admission is a reservation in the shared `BudgetLedger` (one atomic step in SQLite or
 * PostgreSQL), settled with the actual cost when the request ends. Nothing is cached here, so a new
 * key, a restart or a second replica sees the same spend and the same holds. The admission rule and
 * the bound it gives are in docs/gateway.md ("Budgets under concurrency").
 */
import { ConduitError } from '../core/errors.js';
import type { PrincipalKey as VirtualKey } from '../core/language-model.js';
import type { BudgetHold, BudgetLedger } from '../storage/ports/budget-ledger.js';
import type { BudgetPeriod } from '../storage/ports/key-store.js';

/** Start (ms, UTC) of the budget period containing `now`: day, ISO week (Monday), month, or all time. */
export function periodStart(period: BudgetPeriod, now: number): number {
  if (period === 'total') return 0;
  const d = new Date(now);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === 'daily') return day;
  if (period === 'weekly') return day - ((d.getUTCDay() + 6) % 7) * 86_400_000;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** How long a hold counts when its process dies before settling it. */
export const DEFAULT_HOLD_TTL_MS = 10 * 60_000;
/** Waits between attempts to record a settlement the ledger refused (a lost connection, a busy file). */
const SETTLE_RETRY_MS = [200, 1_000, 5_000];

export interface BudgetGuard {
  /**
   * Admits a request against the key's budget, reserving `estimateUsd`; throws `budget_exceeded`.
   * Call the returned function with the actual cost when the request ends (0 when it failed).
   */
  admit(key: VirtualKey, estimateUsd: number): Promise<(actualUsd: number) => void>;
  /** Settled spend of the key's current period, after this process's settlements in progress. */
  spent(key: VirtualKey): Promise<number>;
  /** Waits until every settlement made so far has reached the ledger (or given up). */
  flush(): Promise<void>;
}

export interface BudgetGuardOptions {
  now?: () => number;
  /** Default `DEFAULT_HOLD_TTL_MS`. */
  holdTtlMs?: number;
  /** A settlement the ledger refused after every retry: its cost is missing from the budget. */
  onError?: (error: unknown) => void;
  /** Waits before each retry of a refused settlement; default 0.2 s, 1 s, 5 s. */
  settleRetryMs?: readonly number[];
}

export function createBudgetGuard(ledger: BudgetLedger, options: BudgetGuardOptions = {}): BudgetGuard {
  const now = options.now ?? Date.now;
  const ttlMs = options.holdTtlMs ?? DEFAULT_HOLD_TTL_MS;
  const retryMs = options.settleRetryMs ?? SETTLE_RETRY_MS;
  const pending = new Set<Promise<void>>();

  const record = async (hold: BudgetHold, actualUsd: number): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      try {
        await ledger.settle(hold, actualUsd);
        return;
      } catch (error) {
        const wait = retryMs[attempt];
        if (wait === undefined) {
          options.onError?.(error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  };

  return {
    async admit(key, estimateUsd) {
      if (key.budgetUsd === null) return () => undefined;
      const decision = await ledger.reserve({
        keyId: key.id,
        periodStart: periodStart(key.budgetPeriod, now()),
        // A NaN or negative estimate (a price table gone wrong) must not make room in the budget.
        amountUsd: Number.isFinite(estimateUsd) && estimateUsd > 0 ? estimateUsd : 0,
        limitUsd: key.budgetUsd,
        ttlMs,
      });
      const hold = decision.hold;
      if (!decision.allowed || !hold) {
        const held =
          decision.heldUsd > 0 ? ` and $${decision.heldUsd.toFixed(6)} held by requests in flight` : '';
        throw new ConduitError(
          'budget_exceeded',
          `Budget of $${key.budgetUsd} (${key.budgetPeriod}) for key ${key.prefix}… is used up: $${decision.spentUsd.toFixed(6)} spent${held}`,
          { param: 'authorization' },
        );
      }
      let settled = false;
      return (actualUsd) => {
        if (settled) return;
        settled = true;
        const cost = Number.isFinite(actualUsd) && actualUsd > 0 ? actualUsd : 0;
        const settling = record(hold, cost);
        pending.add(settling);
        void settling.finally(() => pending.delete(settling));
      };
    },
    async spent(key) {
      await Promise.all(pending);
      return ledger.spent(key.id, periodStart(key.budgetPeriod, now()));
    },
    async flush() {
      await Promise.all(pending);
    },
  };
}
