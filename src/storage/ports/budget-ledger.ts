/**
 * Port for spend budgets shared by every gateway process: the spend of each key per budget period,
 * and the holds of requests in flight, kept in the primary store (SQLite or PostgreSQL — never Redis,
 * which may run without persistence). `reserve` decides and records a hold in one atomic step, so
 * concurrent requests on any number of processes cannot all see the same room left in a budget.
 *
 * The admission rule (`admitsReservation` in `shared/budget-admission.ts`, the same on every
 * adapter): a request is admitted while something is left and its reservation fits beside the holds
 * already taken, or — when it does not fit — if nothing else of the key's period is held. So the
 * spend exceeds the limit by less than one request's cost when reservations cover the actual costs.
 */

export interface BudgetReservation {
  keyId: string;
  /** Start (ms since the epoch) of the budget period the request is admitted in. */
  periodStart: number;
  /** What the request may cost at most (its reservation). */
  amountUsd: number;
  limitUsd: number;
  /** How long the hold counts when it is never settled (its process crashed). */
  ttlMs: number;
}

/** A reservation that was admitted; pass it to `settle` once the request's cost is known. */
export interface BudgetHold {
  id: string;
  keyId: string;
  periodStart: number;
}

export interface BudgetDecision {
  allowed: boolean;
  /** Settled spend of the key in the period, before this reservation. */
  spentUsd: number;
  /** Live holds of the key in the period, before this reservation. */
  heldUsd: number;
  /** Present when allowed. */
  hold?: BudgetHold;
}

export interface BudgetLedger {
  /**
   * Admits (and holds `amountUsd`) or refuses, atomically across processes. The first reservation
   * of a key in a period starts from the usage log's spend of requests that started in the period,
   * so a database that predates the ledger, or a key that had no budget until now, keeps its spend.
   */
  reserve(reservation: BudgetReservation): Promise<BudgetDecision>;
  /**
   * Releases the hold and adds the actual cost to the period the request was admitted in — also when
   * the hold has expired meanwhile. Call it once per hold.
   */
  settle(hold: BudgetHold, actualUsd: number): Promise<void>;
  /** Settled spend of the key in the period (what `reserve` would start from). */
  spent(keyId: string, periodStart: number): Promise<number>;
}
