/**
 * Opens storage from the URL in `conduit.yaml` (`storage:`, plus `redis:`) or `--storage`.
 *
 * - `sqlite:./path/to/file.db`, `sqlite:/abs/file.db`, `sqlite:///abs/file.db`: one SQLite file,
 *   created with its parent directory when missing (relative paths resolve against the cwd).
 * - `sqlite::memory:`: a private SQLite database that disappears on close.
 * - `memory:`: plain JavaScript maps; nothing persists.
 * - `postgres://…` or `postgresql://…`: PostgreSQL, shared by any number of processes
 *   (`?schema=name` picks the schema, default `public`).
 * - `pglite:./dir` or `pglite::memory:`: the PostgreSQL adapter over in-process PGlite (needs the
 *   optional `@electric-sql/pglite` package).
 * - `{ redis: 'redis://…' }` with any of these moves the rate limiter and the response cache to Redis,
 *   so gateway replicas share them; the other ports stay where the URL put them.
 *
 * The Postgres and Redis drivers load only when such a URL is used.
 *
 * @example
 * const storage = await openStorage('postgres://conduit@db/conduit', { redis: 'redis://cache:6379' });
 * try {
 *   await storage.keys.list();
 * } finally {
 *   await storage.close();
 * }
 */
import { resolve } from 'node:path';
import { ConduitError } from '../core/errors.js';
import { createMemoryStorage } from './memory/memory-storage.js';
import type { Storage, StorageOptions } from './ports/storage.js';
import type { PostgresStorageOptions } from './postgres/postgres-storage.js';
import type { WithRedisOptions } from './redis/with-redis.js';
import { MEMORY_PATH } from './sqlite/sqlite-database.js';
import { createSqliteStorage, type SqliteStorageOptions } from './sqlite/sqlite-storage.js';

export type OpenStorageOptions = StorageOptions &
  Omit<SqliteStorageOptions, 'path' | keyof StorageOptions> & {
    /** A Redis URL (or connection options) for the rate limiter and cache. */
    redis?: string | Omit<WithRedisOptions, 'now'>;
    /** Settings for `postgres://` and `pglite:` URLs (schema, pool size, vector search). */
    postgres?: Omit<PostgresStorageOptions, 'url' | 'pglite' | 'client' | keyof StorageOptions>;
  };

/** Where a `sqlite:` URL points: an absolute path, or ':memory:'. */
export function sqlitePathFromUrl(url: string): string {
  let rest = url.slice('sqlite:'.length);
  if (rest === MEMORY_PATH) return MEMORY_PATH;
  if (rest.startsWith('//')) rest = rest.slice(2);
  if (rest === '')
    throw new ConduitError('bad_request', `Storage URL ${url} has no file path`, { param: 'storage' });
  return resolve(rest);
}

async function openBase(url: string, options: OpenStorageOptions): Promise<Storage> {
  const scheme = url.slice(0, url.indexOf(':') + 1).toLowerCase();
  const { redis: _redis, postgres, ...rest } = options;
  // SQLite's migrations are not Postgres's: only `postgres.migrations` reaches the Postgres adapter.
  if (url === 'memory:') return createMemoryStorage(rest);
  if (scheme === 'sqlite:') return createSqliteStorage({ ...rest, path: sqlitePathFromUrl(url) });
  if (scheme === 'postgres:' || scheme === 'postgresql:') {
    const { createPostgresStorage } = await import('./postgres/postgres-storage.js');
    return createPostgresStorage({ ...postgres, now: rest.now, url });
  }
  if (scheme === 'pglite:') {
    const { createPgliteStorage } = await import('./postgres/pglite-storage.js');
    const dataDir = url.slice('pglite:'.length);
    return createPgliteStorage({ ...postgres, now: rest.now, dataDir: dataDir === '' ? undefined : dataDir });
  }
  if (scheme === 'redis:' || scheme === 'rediss:') {
    throw new ConduitError(
      'bad_request',
      'Redis holds only rate limits, the cache and cooldowns; use a postgres:// or sqlite: storage URL and pass the Redis URL as the redis option (redis: in conduit.yaml)',
      { param: 'storage' },
    );
  }
  throw new ConduitError(
    'bad_request',
    `Unknown storage URL "${url}"; use sqlite:<path>, sqlite::memory:, postgres://…, pglite:<dir> or memory:`,
    { param: 'storage' },
  );
}

export async function openStorage(url: string, options: OpenStorageOptions = {}): Promise<Storage> {
  const base = await openBase(url, options);
  if (options.redis === undefined) return base;
  const { withRedis } = await import('./redis/with-redis.js');
  const redis = typeof options.redis === 'string' ? { url: options.redis } : options.redis;
  try {
    return await withRedis(base, { ...redis, now: options.now });
  } catch (error) {
    await base.close();
    throw error;
  }
}
