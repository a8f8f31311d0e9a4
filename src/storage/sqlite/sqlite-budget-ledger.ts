/**
 * SQLite adapter of `BudgetLedger`. A reservation is one BEGIN IMMEDIATE transaction — seed the
 * period from the usage log if it is new, drop expired holds, sum the live ones, decide, hold — which
 * takes the write lock first, so it is atomic across every connection and process on the file.
 */
import { randomUUID } from 'node:crypto';
import type { BudgetLedger, BudgetReservation } from '../ports/budget-ledger.js';
import { admitsReservation, checkReservation } from '../shared/budget-admission.js';
import { checkNonNegative } from '../shared/checks.js';
import type { SqliteDatabase } from './sqlite-database.js';

export function createSqliteBudgetLedger(db: SqliteDatabase, now: () => number): BudgetLedger {
  const readSpent = db.prepare<[string, number], { spent_usd: number }>(
    'SELECT spent_usd FROM budget_spend WHERE key_id = ? AND period_start = ?',
  );
  // Requests that started in the period (see the port); the (key_id, created_at) index bounds the scan.
  const seedSpent = db.prepare<[string, number, number], { total: number }>(
    `SELECT coalesce(sum(cost_usd), 0) AS total FROM usage_log
     WHERE key_id = ? AND created_at >= ? AND created_at - latency_ms >= ?`,
  );
  const insertSpent = db.prepare(
    'INSERT INTO budget_spend (key_id, period_start, spent_usd) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const addSpent = db.prepare(
    `INSERT INTO budget_spend (key_id, period_start, spent_usd) VALUES (?, ?, ?)
     ON CONFLICT (key_id, period_start) DO UPDATE SET spent_usd = spent_usd + excluded.spent_usd`,
  );
  const dropExpired = db.prepare(
    'DELETE FROM budget_holds WHERE key_id = ? AND period_start = ? AND expires_at <= ?',
  );
  const sumHeld = db.prepare<[string, number], { held: number }>(
    'SELECT coalesce(sum(amount_usd), 0) AS held FROM budget_holds WHERE key_id = ? AND period_start = ?',
  );
  const insertHold = db.prepare(
    'INSERT INTO budget_holds (id, key_id, period_start, amount_usd, expires_at) VALUES (?, ?, ?, ?, ?)',
  );
  const deleteHold = db.prepare('DELETE FROM budget_holds WHERE id = ?');

  const spentOrSeed = (keyId: string, periodStart: number) =>
    readSpent.get(keyId, periodStart)?.spent_usd ??
    seedSpent.get(keyId, periodStart, periodStart)?.total ??
    0;

  const reserve = db.transaction((r: BudgetReservation) => {
    let spentUsd = readSpent.get(r.keyId, r.periodStart)?.spent_usd;
    if (spentUsd === undefined) {
      spentUsd = seedSpent.get(r.keyId, r.periodStart, r.periodStart)?.total ?? 0;
      insertSpent.run(r.keyId, r.periodStart, spentUsd);
    }
    const t = now();
    dropExpired.run(r.keyId, r.periodStart, t);
    const heldUsd = sumHeld.get(r.keyId, r.periodStart)?.held ?? 0;
    if (!admitsReservation(spentUsd, heldUsd, r.amountUsd, r.limitUsd))
      return { allowed: false, spentUsd, heldUsd };
    const hold = { id: randomUUID(), keyId: r.keyId, periodStart: r.periodStart };
    insertHold.run(hold.id, r.keyId, r.periodStart, r.amountUsd, t + r.ttlMs);
    return { allowed: true, spentUsd, heldUsd, hold };
  });

  const settle = db.transaction((id: string, keyId: string, periodStart: number, actualUsd: number) => {
    deleteHold.run(id);
    if (actualUsd > 0) addSpent.run(keyId, periodStart, actualUsd);
  });

  return {
    async reserve(reservation) {
      return reserve.immediate(checkReservation(reservation));
    },
    async settle(hold, actualUsd) {
      checkNonNegative(actualUsd, 'actualUsd');
      settle.immediate(hold.id, hold.keyId, hold.periodStart, actualUsd);
    },
    async spent(keyId, periodStart) {
      return spentOrSeed(keyId, periodStart);
    },
  };
}
