/**
 * PostgreSQL adapter of `BudgetLedger`. A reservation is one call of `conduit_budget_reserve` and a
 * settlement one call of `conduit_budget_settle` (migration 9): a single round trip each, atomic
 * across every process and host sharing the database, with the key's spend row locked only for the
 * call. The clock is the caller's, as in the other ports; it only dates hold expiry.
 */
import { randomUUID } from 'node:crypto';
import type { BudgetLedger } from '../ports/budget-ledger.js';
import { checkReservation } from '../shared/budget-admission.js';
import { checkNonNegative } from '../shared/checks.js';
import type { PostgresContext } from './postgres-context.js';

interface ReserveRow {
  allowed: boolean;
  spent: number;
  held: number;
}

export function createPostgresBudgetLedger({ client, s, now }: PostgresContext): BudgetLedger {
  return {
    async reserve(reservation) {
      const r = checkReservation(reservation);
      const id = randomUUID();
      const { rows } = await client.query<ReserveRow>(
        `SELECT * FROM ${s}.conduit_budget_reserve($1, $2, $3, $4, $5, $6, $7)`,
        [r.keyId, r.periodStart, r.amountUsd, r.limitUsd, now(), r.ttlMs, id],
      );
      const row = rows[0];
      if (!row) throw new Error('conduit_budget_reserve returned no row');
      const decision = { allowed: row.allowed, spentUsd: Number(row.spent), heldUsd: Number(row.held) };
      return row.allowed
        ? { ...decision, hold: { id, keyId: r.keyId, periodStart: r.periodStart } }
        : decision;
    },
    async settle(hold, actualUsd) {
      checkNonNegative(actualUsd, 'actualUsd');
      await client.query(`SELECT ${s}.conduit_budget_settle($1, $2, $3, $4)`, [
        hold.id,
        hold.keyId,
        hold.periodStart,
        actualUsd,
      ]);
    },
    async spent(keyId, periodStart) {
      const { rows } = await client.query<{ spent: number }>(
        `SELECT coalesce(
           (SELECT spent_usd FROM ${s}.budget_spend WHERE key_id = $1 AND period_start = $2),
           (SELECT sum(cost_usd) FROM ${s}.usage_log
             WHERE key_id = $1 AND created_at >= $2 AND created_at - latency_ms >= $2),
           0)::float8 AS spent`,
        [keyId, periodStart],
      );
      return Number(rows[0]?.spent ?? 0);
    },
  };
}
