/**
 * The default storage: every port in one SQLite file (or in memory), sharing one connection.
 *
 * @example
 * const storage = createSqliteStorage({ path: './.conduit/conduit.db' });
 * await storage.cache.set('k', 'v', 60_000);
 * await storage.close();
 */
import type { Storage, StorageOptions } from '../ports/storage.js';
import { createSqliteBudgetLedger } from './sqlite-budget-ledger.js';
import { createSqliteCache } from './sqlite-cache.js';
import { type OpenSqliteOptions, openSqliteDatabase, type SqliteDatabase } from './sqlite-database.js';
import { createSqliteDocumentStore } from './sqlite-document-store.js';
import { createSqliteEvalStore } from './sqlite-eval-store.js';
import { createSqliteKeyStore } from './sqlite-key-store.js';
import { createSqliteRateLimiter } from './sqlite-rate-limiter.js';
import { createSqliteTraceStore } from './sqlite-trace-store.js';
import { createSqliteUsageLog } from './sqlite-usage-log.js';

export interface SqliteStorageOptions extends StorageOptions, OpenSqliteOptions {
  /** File path, or ':memory:' for a private database that disappears on close. */
  path: string;
}

export interface SqliteStorage extends Storage {
  readonly kind: 'sqlite';
  /** The raw connection, for diagnostics and tests; not part of the portable API. */
  readonly database: SqliteDatabase;
}

export function createSqliteStorage(options: SqliteStorageOptions): SqliteStorage {
  const db = openSqliteDatabase(options.path, options);
  const now = options.now ?? Date.now;
  return {
    kind: 'sqlite',
    database: db,
    keys: createSqliteKeyStore(db, now),
    usage: createSqliteUsageLog(db, now),
    cache: createSqliteCache(db, now),
    rateLimiter: createSqliteRateLimiter(db, now),
    budgets: createSqliteBudgetLedger(db, now),
    documents: createSqliteDocumentStore(db, now),
    evals: createSqliteEvalStore(db, now),
    traces: createSqliteTraceStore(db),
    async close() {
      if (!db.open) return;
      // Lets SQLite refresh planner statistics for tables whose shape changed, as its docs advise.
      db.pragma('optimize');
      db.close();
    },
  };
}
