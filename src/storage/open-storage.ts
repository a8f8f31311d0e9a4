/**
 * Opens storage from the URL in `conduit.yaml` (`storage:`) or `--storage`.
 *
 * - `sqlite:./path/to/file.db`, `sqlite:/abs/file.db`, `sqlite:///abs/file.db`: one SQLite file,
 *   created with its parent directory when missing (relative paths resolve against the cwd).
 * - `sqlite::memory:`: a private SQLite database that disappears on close.
 * - `memory:`: plain JavaScript maps; nothing persists.
 *
 * @example
 * const storage = await openStorage('sqlite:./.conduit/conduit.db');
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
import { MEMORY_PATH } from './sqlite/sqlite-database.js';
import { createSqliteStorage, type SqliteStorageOptions } from './sqlite/sqlite-storage.js';

export type OpenStorageOptions = StorageOptions & Omit<SqliteStorageOptions, 'path' | keyof StorageOptions>;

/** Where a `sqlite:` URL points: an absolute path, or ':memory:'. */
export function sqlitePathFromUrl(url: string): string {
  let rest = url.slice('sqlite:'.length);
  if (rest === MEMORY_PATH) return MEMORY_PATH;
  if (rest.startsWith('//')) rest = rest.slice(2);
  if (rest === '')
    throw new ConduitError('bad_request', `Storage URL ${url} has no file path`, { param: 'storage' });
  return resolve(rest);
}

export async function openStorage(url: string, options: OpenStorageOptions = {}): Promise<Storage> {
  const scheme = url.slice(0, url.indexOf(':') + 1).toLowerCase();
  if (url === 'memory:') return createMemoryStorage(options);
  if (scheme === 'sqlite:') return createSqliteStorage({ ...options, path: sqlitePathFromUrl(url) });
  if (scheme === 'postgres:' || scheme === 'postgresql:' || scheme === 'redis:') {
    throw new ConduitError(
      'unsupported',
      `${scheme.slice(0, -1)} storage is not available in this version yet`,
      {
        param: 'storage',
      },
    );
  }
  throw new ConduitError(
    'bad_request',
    `Unknown storage URL "${url}"; use sqlite:<path>, sqlite::memory: or memory:`,
    { param: 'storage' },
  );
}
