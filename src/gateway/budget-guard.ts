/**
 * Spend budgets per virtual key and period, holding under concurrency: a request is admitted only
 * while spent + the reservations of requests in flight stay below the budget. Each reservation is
 * the request's worst-case cost when it sets max_tokens (else its prompt cost), so the overshoot is
 * bounded by the cost of the requests already admitted — see docs/gateway.md.
 */
import { ConduitError } from '../core/errors.js';
import type { PrincipalKey as VirtualKey } from '../core/language-model.js';
import type { BudgetPeriod } from '../storage/ports/key-store.js';
import type { UsageLog } from '../storage/ports/usage-log.js';

/** Start (ms, UTC) of the budget period containing `now`: day, ISO week (Monday), month, or all time. */
export function periodStart(period: BudgetPeriod, now: number): number {
  if (period === 'total') return 0;
  const d = new Date(now);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === 'daily') return day;
  if (period === 'weekly') return day - ((d.getUTCDay() + 6) % 7) * 86_400_000;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

interface KeyState {
  periodStart: number;
  /** Spend in the log from the period's start until this process started (loaded once). */
  before: number;
  /** Spend in the log since this process started: every replica's flushed rows, ours included. */
  since: number;
  loadedAt: number;
  /** Cost of this process's finished requests in the period, flushed to the log or not. */
  local: number;
  /** The part of `local` known to be in the log (so `since` does not count it twice). */
  flushed: number;
  reserved: number;
}

export interface BudgetGuard {
  /**
   * Admits a request against the key's budget, reserving `estimateUsd`; throws `budget_exceeded`.
   * Call the returned function with the actual cost when the request ends (0 when it failed).
   */
  admit(key: VirtualKey, estimateUsd: number): Promise<(actualUsd: number) => void>;
  /** Tells the guard that this process's rows with this cost reached the log. */
  flushed(keyId: string, costUsd: number, createdAt: number): void;
  /** Spend of the current period as this process sees it. */
  spent(key: VirtualKey): Promise<number>;
}

/**
 * Other replicas' spend arrives through the usage log (within `refreshMs` plus their flush window);
 * this process's spend counts at once.
 */
export function createBudgetGuard(
  usage: UsageLog,
  options: { refreshMs?: number; now?: () => number } = {},
): BudgetGuard {
  const now = options.now ?? Date.now;
  const refreshMs = options.refreshMs ?? 5_000;
  const startedAt = now();
  const states = new Map<string, KeyState>();

  const state = async (key: VirtualKey): Promise<KeyState> => {
    const start = periodStart(key.budgetPeriod, now());
    let s = states.get(key.id);
    if (!s || s.periodStart !== start) {
      const before =
        start < startedAt ? await usage.spend({ keyId: key.id, since: start, until: startedAt }) : 0;
      // Concurrent first requests for a key all wait on that read: the first to get here creates the
      // state and the others share it, or each would reserve against its own and all be admitted.
      s = states.get(key.id);
      if (!s || s.periodStart !== start) {
        s = { periodStart: start, before, since: 0, loadedAt: 0, local: 0, flushed: 0, reserved: 0 };
        states.set(key.id, s);
      }
    }
    if (now() - s.loadedAt > refreshMs) {
      s.loadedAt = now();
      s.since = await usage.spend({ keyId: key.id, since: Math.max(start, startedAt) });
    }
    return s;
  };
  const spentOf = (s: KeyState) => s.before + Math.max(0, s.since - s.flushed) + s.local;

  return {
    async admit(key, estimateUsd) {
      if (key.budgetUsd === null) return () => undefined;
      const s = await state(key);
      if (spentOf(s) + s.reserved >= key.budgetUsd) {
        throw new ConduitError(
          'budget_exceeded',
          `Budget of $${key.budgetUsd} (${key.budgetPeriod}) for key ${key.prefix}… is used up: $${spentOf(s).toFixed(6)} spent`,
          { param: 'authorization' },
        );
      }
      s.reserved += estimateUsd;
      let settled = false;
      return (actualUsd) => {
        if (settled) return;
        settled = true;
        s.reserved = Math.max(0, s.reserved - estimateUsd);
        s.local += actualUsd;
      };
    },
    flushed(keyId, costUsd, createdAt) {
      const s = states.get(keyId);
      if (s && createdAt >= Math.max(s.periodStart, startedAt)) s.flushed += costUsd;
    },
    async spent(key) {
      return spentOf(await state(key));
    },
  };
}
