/**
 * Opens the SQLite database behind the default storage: WAL journal, foreign keys on, a busy timeout
 * so concurrent processes wait instead of failing, and every pending migration applied before any
 * port touches it.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ConduitError } from '../../core/errors.js';
import { MIGRATIONS, type Migration } from './migrations.js';

export type SqliteDatabase = Database.Database;

export interface OpenSqliteOptions {
  /** How long a writer waits for another connection's lock; default 5000 ms. */
  busyTimeoutMs?: number;
  migrations?: readonly Migration[];
}

export const MEMORY_PATH = ':memory:';

export function openSqliteDatabase(path: string, options: OpenSqliteOptions = {}): SqliteDatabase {
  if (path !== MEMORY_PATH) createPrivateFile(path);
  let db: SqliteDatabase;
  try {
    db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
  } catch (cause) {
    throw new ConduitError('internal', `Cannot open SQLite database ${path}: ${(cause as Error).message}`, {
      cause,
    });
  }
  try {
    if (path !== MEMORY_PATH) db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a commit survives a crash of the process; only an OS crash or power loss
    // can lose the last transactions, and never corrupts the file.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, options.migrations ?? MIGRATIONS);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Creates the database file owner-only (0600), and any missing directory above it 0700: it holds key
 * hashes, usage and documents. An existing file or directory keeps the permissions it has.
 */
function createPrivateFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** Applies pending migrations in one IMMEDIATE transaction, so two processes opening at once cannot both run them. */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const run = db.transaction(() => {
    const applied = new Set(
      db
        .prepare('SELECT version FROM schema_migrations')
        .pluck()
        .all()
        .map((v) => Number(v)),
    );
    const newest = Math.max(0, ...migrations.map((m) => m.version));
    const unknown = [...applied].filter((v) => v > newest);
    if (unknown.length > 0) {
      throw new ConduitError(
        'conflict',
        `Database schema version ${Math.max(...unknown)} is newer than this Conduit knows (${newest}); upgrade Conduit`,
      );
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
      done.push(migration.version);
    }
    return done;
  });
  return run.immediate();
}

/** Maps driver errors to the shared error model; anything unrecognised passes through. */
export function mapSqliteError(error: unknown, what: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return new ConduitError('conflict', `${what} already exists`, { cause: error });
  }
  if (code === 'SQLITE_CONSTRAINT_CHECK' || code === 'SQLITE_CONSTRAINT_NOTNULL') {
    return new ConduitError('bad_request', `${what} has an invalid value`, { cause: error });
  }
  return error;
}
