/**
 * SQLite adapter of `Cache`. The STRICT table's ANY column keeps TEXT as TEXT and BLOB as BLOB, so a
 * value comes back as the type it was stored as without a separate flag.
 */
import type { Cache, CacheValue } from '../ports/cache.js';
import { checkCacheEntry } from '../shared/checks.js';
import type { SqliteDatabase } from './sqlite-database.js';

export function createSqliteCache(db: SqliteDatabase, now: () => number): Cache {
  const read = db.prepare<[string, number], { value: string | Buffer }>(
    'SELECT value FROM cache_entries WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)',
  );
  const write = db.prepare(
    `INSERT INTO cache_entries (key, value, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
  );
  const remove = db.prepare('DELETE FROM cache_entries WHERE key = ?');
  const removeAll = db.prepare('DELETE FROM cache_entries');
  const removeExpired = db.prepare(
    'DELETE FROM cache_entries WHERE expires_at IS NOT NULL AND expires_at <= ?',
  );

  return {
    async get(key) {
      return read.get(key, now())?.value;
    },
    async set(key: string, value: CacheValue, ttlMs?: number) {
      checkCacheEntry(key, value, ttlMs);
      write.run(key, value, ttlMs === undefined ? null : now() + ttlMs);
    },
    async delete(key) {
      return remove.run(key).changes > 0;
    },
    async clear() {
      removeAll.run();
    },
    async prune() {
      return removeExpired.run(now()).changes;
    },
  };
}
