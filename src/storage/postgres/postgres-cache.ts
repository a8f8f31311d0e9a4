/**
 * PostgreSQL adapter of `Cache`, in an UNLOGGED table (see the migration). Strings and Buffers go in
 * separate columns, so a value comes back as the type it was stored as.
 */
import type { Cache, CacheValue } from '../ports/cache.js';
import { checkCacheEntry } from '../shared/checks.js';
import type { PostgresContext } from './postgres-context.js';

/** PGlite returns bytea as a Uint8Array; callers of the port expect a Buffer. */
export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function createPostgresCache({ client, s, now }: PostgresContext): Cache {
  return {
    async get(key) {
      const { rows } = await client.query<{ text_value: string | null; bytes_value: Uint8Array | null }>(
        `SELECT text_value, bytes_value FROM ${s}.cache_entries
         WHERE key = $1 AND (expires_at IS NULL OR expires_at > $2)`,
        [key, now()],
      );
      const row = rows[0];
      if (!row) return undefined;
      return row.bytes_value === null ? (row.text_value ?? undefined) : toBuffer(row.bytes_value);
    },
    async set(key: string, value: CacheValue, ttlMs?: number) {
      checkCacheEntry(key, value, ttlMs);
      const [text, bytes] = typeof value === 'string' ? [value, null] : [null, value];
      await client.query(
        `INSERT INTO ${s}.cache_entries (key, text_value, bytes_value, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO UPDATE SET text_value = excluded.text_value, bytes_value = excluded.bytes_value,
           expires_at = excluded.expires_at`,
        [key, text, bytes, ttlMs === undefined ? null : now() + ttlMs],
      );
    },
    async delete(key) {
      return (await client.query(`DELETE FROM ${s}.cache_entries WHERE key = $1`, [key])).rowCount > 0;
    },
    async clear() {
      await client.query(`DELETE FROM ${s}.cache_entries`);
    },
    async prune() {
      const { rowCount } = await client.query(
        `DELETE FROM ${s}.cache_entries WHERE expires_at IS NOT NULL AND expires_at <= $1`,
        [now()],
      );
      return rowCount;
    },
  };
}
