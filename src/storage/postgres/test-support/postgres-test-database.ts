/**
 * Test access to the PostgreSQL server that developer machines and CI run. Each storage a test opens
 * gets its own schema, dropped again on close, so test files and parallel runs never see each
 * other's rows. An unreachable server fails the test file with the command that starts it: the
 * Postgres adapter must not pass CI by being skipped.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  createPostgresStorage,
  type PostgresStorage,
  type PostgresStorageOptions,
} from '../postgres-storage.js';
import { createPgClient, type SqlQueryable } from '../sql-client.js';

export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const HOW_TO_START = [
  'Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
  '(or point TEST_POSTGRES_URL at a server where this user may create schemas).',
].join(' ');

/** A pool for test bookkeeping (dropping schemas, inspecting tables); fails loudly when unreachable. */
export async function requirePostgres(): Promise<pg.Pool> {
  const admin = new pg.Pool({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3000, max: 2 });
  admin.on('error', () => {});
  try {
    await admin.query('SELECT 1');
  } catch (error) {
    await admin.end().catch(() => {});
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_POSTGRES_URL} (${(error as Error).message}). ${HOW_TO_START}`,
    );
  }
  return admin;
}

/** A schema name no other test or run uses. */
export function uniqueSchema(tag = 'test'): string {
  return `conduit_${tag}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function dropSchema(admin: { query(sql: string): Promise<unknown> }, schema: string) {
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

/** Opens storage in a fresh schema; its `close()` also drops the schema. */
export async function freshPostgresStorage(
  admin: pg.Pool,
  options: Omit<PostgresStorageOptions, 'url' | 'schema'> = {},
): Promise<PostgresStorage> {
  const schema = uniqueSchema();
  let storage: PostgresStorage;
  try {
    storage = await createPostgresStorage({ url: TEST_POSTGRES_URL, ...options, schema });
  } catch (error) {
    // Migrations may have run before the failure (e.g. vector: 'pgvector' on a server without it).
    await dropSchema(admin, schema);
    throw error;
  }
  return {
    ...storage,
    async close() {
      await storage.close();
      await dropSchema(admin, schema);
    },
  };
}

/**
 * Empty storages for contract suites, faster than a fresh schema each: a server spends 50-200 ms on
 * the migrations' DDL, so a closed storage's schema is emptied (DELETE, a few rows) and handed out
 * again. Opening still goes through `createPostgresStorage`, which finds the schema up to date.
 */
export function reusedSchemaStorages(
  admin: SqlQueryable,
  open: (schema: string) => Promise<PostgresStorage>,
) {
  const idle: string[] = [];
  const created: string[] = [];
  return {
    async open(): Promise<PostgresStorage> {
      let schema = idle.pop();
      if (schema) {
        const { rows } = await admin.query<{ name: string }>(
          `SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 AND tablename <> 'schema_migrations'`,
          [schema],
        );
        await admin.exec(rows.map((row) => `DELETE FROM "${schema}"."${row.name}";`).join('\n'));
      } else {
        schema = uniqueSchema();
        created.push(schema);
      }
      const storage = await open(schema);
      const reusable = schema;
      return {
        ...storage,
        async close() {
          await storage.close();
          idle.push(reusable);
        },
      };
    },
    async dropAll(): Promise<void> {
      for (const schema of created) await dropSchema(admin, schema);
    },
  };
}

/** `reusedSchemaStorages` on the test server. */
export function reusedServerStorages(
  admin: pg.Pool,
  options: Omit<PostgresStorageOptions, 'url' | 'schema'> = {},
) {
  return reusedSchemaStorages(createPgClient(admin, false), (schema) =>
    createPostgresStorage({ url: TEST_POSTGRES_URL, ...options, schema }),
  );
}
