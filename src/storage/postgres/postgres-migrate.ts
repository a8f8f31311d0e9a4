/**
 * Applies the Postgres adapter's migrations when storage opens. Everything happens in one
 * transaction that first takes a transaction-scoped advisory lock for the schema, so processes that
 * start together queue up: the first applies the pending migrations, the others then find nothing
 * to do. A failing migration rolls back whole and leaves the schema at the previous version.
 */
import { ConduitError } from '../../core/errors.js';
import type { Migration } from '../sqlite/migrations.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import type { SqlClient } from './sql-client.js';

/** First key of the advisory lock ("Cond"); the second is a hash of the schema name. */
const LOCK_NAMESPACE = 0x436f6e64;

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Schema names are spliced into SQL, so only plain identifiers are accepted. */
export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new ConduitError(
      'bad_request',
      `Invalid PostgreSQL schema name "${schema}": use letters, digits and underscores (at most 63)`,
      { param: 'schema' },
    );
  }
  return schema;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export async function migratePostgres(
  client: SqlClient,
  schema: string,
  migrations: readonly Migration[] = POSTGRES_MIGRATIONS,
): Promise<number[]> {
  const s = quoteIdent(checkSchemaName(schema));
  return client.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NAMESPACE, schema]);
    await tx.exec(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    // Migration SQL names tables without a schema; SET LOCAL ends with this transaction.
    await tx.exec(`SET LOCAL search_path TO ${s}`);
    await tx.exec(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at double precision NOT NULL)`);
    const { rows } = await tx.query<{ version: number }>(`SELECT version FROM ${s}.schema_migrations`);
    const applied = new Set(rows.map((row) => Number(row.version)));
    const newest = Math.max(0, ...migrations.map((m) => m.version));
    const unknown = [...applied].filter((v) => v > newest);
    if (unknown.length > 0) {
      throw new ConduitError(
        'conflict',
        `Database schema ${schema} is at version ${Math.max(...unknown)}, newer than this Conduit knows (${newest}); upgrade Conduit`,
      );
    }
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query(`INSERT INTO ${s}.schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`, [
        migration.version,
        migration.name,
        Date.now(),
      ]);
      done.push(migration.version);
    }
    return done;
  });
}
