import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { ConduitError } from '../../core/errors.js';
import { MIGRATIONS } from './migrations.js';
import { openSqliteDatabase } from './sqlite-database.js';
import { createSqliteStorage } from './sqlite-storage.js';

const dir = mkdtempSync(join(tmpdir(), 'conduit-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite database', () => {
  test('creates missing parent directories and applies every migration once', async () => {
    const path = join(dir, 'nested', 'deeper', 'conduit.db');
    const storage = createSqliteStorage({ path });
    await storage.close();
    assert.ok(existsSync(path));
    const raw = new Database(path, { readonly: true });
    const rows = raw
      .prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version')
      .all();
    raw.close();
    assert.deepEqual(
      rows.map((r) => (r as { version: number }).version),
      MIGRATIONS.map((m) => m.version),
    );

    // Re-opening applies nothing and leaves the recorded times alone.
    const again = createSqliteStorage({ path });
    await again.close();
    const raw2 = new Database(path, { readonly: true });
    assert.deepEqual(
      raw2.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all(),
      rows,
    );
    raw2.close();
  });

  test('creates the database file 0600 and missing directories 0700; leaves existing ones alone', async (t) => {
    if (process.platform === 'win32') return t.skip('POSIX permissions');
    const home = join(dir, 'private-home');
    const path = join(home, 'conduit.db');
    const storage = createSqliteStorage({ path });
    await storage.close();
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(home).mode & 0o777, 0o700);
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o755);
    await createSqliteStorage({ path: join(shared, 'conduit.db') }).close();
    assert.equal(statSync(shared).mode & 0o777, 0o755);
  });

  test('runs with WAL, NORMAL sync, foreign keys and a busy timeout', async () => {
    const storage = createSqliteStorage({ path: join(dir, 'pragmas.db') });
    const db = storage.database;
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('synchronous', { simple: true }), 1);
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    assert.equal(db.pragma('busy_timeout', { simple: true }), 5000);
    await storage.close();
    // WAL is a property of the file: another connection sees it too.
    const raw = new Database(join(dir, 'pragmas.db'));
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    raw.close();
  });

  test('refuses a database written by a newer Conduit instead of corrupting it', async () => {
    const path = join(dir, 'newer.db');
    await createSqliteStorage({ path }).close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO schema_migrations VALUES (9999, 'from-the-future', 0)").run();
    raw.close();
    assert.throws(
      () => createSqliteStorage({ path }),
      (error: unknown) => ConduitError.isInstance(error) && /newer than this Conduit/.test(error.message),
    );
  });

  test('a failing migration leaves the database at the previous version', () => {
    const path = join(dir, 'failing.db');
    openSqliteDatabase(path).close();
    const broken = [
      ...MIGRATIONS,
      { version: 1000, name: 'broken', sql: 'CREATE TABLE t (x); SELECT nope FROM nowhere;' },
    ];
    assert.throws(() => openSqliteDatabase(path, { migrations: broken }));
    const raw = new Database(path);
    const versions = raw.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get();
    const table = raw.prepare("SELECT name FROM sqlite_master WHERE name = 't'").get();
    raw.close();
    assert.equal(versions, MIGRATIONS.at(-1)?.version);
    assert.equal(table, undefined);
  });

  test('close can be called twice', async () => {
    const storage = createSqliteStorage({ path: join(dir, 'close.db') });
    await storage.close();
    await storage.close();
    assert.equal(storage.database.open, false);
  });
});
