/**
 * One in-process PGlite database with the pgvector extension, shared by a test file: starting
 * PGlite takes seconds, a schema takes milliseconds, so each storage gets a schema in it. It is
 * opened through `openStorage('pglite::memory:')`, the way users open it. A missing pgvector package
 * fails the file with the install command rather than quietly running the JavaScript scan instead
 * of the pgvector SQL this is here to test.
 */
import { after } from 'node:test';
import { openStorage } from '../../open-storage.js';
import {
  createPostgresStorage,
  type PostgresStorage,
  type PostgresStorageOptions,
} from '../postgres-storage.js';
import type { SqlClient } from '../sql-client.js';
import { reusedSchemaStorages } from './postgres-test-database.js';

export interface PgliteTestDatabase {
  /** The storage that owns the PGlite instance (schema `public`). */
  root: PostgresStorage;
  /** Opens storage in a schema of its own over the shared instance. */
  open(options?: Omit<PostgresStorageOptions, 'client' | 'schema'>): Promise<PostgresStorage>;
}

export async function requirePgliteWithVector(): Promise<PgliteTestDatabase> {
  let root: PostgresStorage;
  try {
    root = (await openStorage('pglite::memory:', { postgres: { vector: 'pgvector' } })) as PostgresStorage;
  } catch (error) {
    throw new Error(
      `${(error as Error).message}. The pgvector tests need it: npm install --save-dev --save-exact ` +
        '@electric-sql/pglite@0.5.14 @electric-sql/pglite-pgvector@0.0.15',
    );
  }
  // Storages over the shared instance must not close it.
  const shared: SqlClient = { ...root.client, close: async () => {} };
  const pools = new Map<string, ReturnType<typeof reusedSchemaStorages>>();
  after(async () => {
    for (const pool of pools.values()) await pool.dropAll();
    await root.close();
  });
  return {
    root,
    open(options = {}) {
      const key = JSON.stringify(options);
      let pool = pools.get(key);
      if (!pool) {
        pool = reusedSchemaStorages(root.client, (schema) =>
          createPostgresStorage({ vector: 'pgvector', ...options, client: shared, schema }),
        );
        pools.set(key, pool);
      }
      return pool.open();
    },
  };
}
