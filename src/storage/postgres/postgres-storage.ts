/**
 * Scale-out storage: every port in PostgreSQL, shared by any number of gateway replicas, workers
 * and CLI runs. Opening applies pending migrations (race-free, see `postgres-migrate.ts`) and
 * decides how vector search runs (`vectorSearch`: pgvector or an exact scan in JavaScript).
 *
 * All tables live in one schema (default `public`, or `?schema=` in the URL), and every statement
 * names it, so storages in different schemas can share a server, a pool or a PGlite instance.
 *
 * @example
 * const storage = await createPostgresStorage({ url: 'postgres://conduit@db.internal/conduit' });
 * console.log(storage.vectorSearch); // { mode: 'pgvector', reason: 'extension "vector" 0.8.0 in schema public' }
 * await storage.close();
 */
import type pg from 'pg';
import { importOptional } from '../../core/optional-import.js';
import type { Storage, StorageOptions } from '../ports/storage.js';
import type { Migration } from '../sqlite/migrations.js';
import { createPostgresBudgetLedger } from './postgres-budget-ledger.js';
import { createPostgresCache } from './postgres-cache.js';
import type { PostgresContext } from './postgres-context.js';
import { createPostgresDocumentStore } from './postgres-document-store.js';
import { connectionError, isConnectionError } from './postgres-errors.js';
import { createPostgresEvalStore } from './postgres-eval-store.js';
import { createPostgresKeyStore } from './postgres-key-store.js';
import { checkSchemaName, migratePostgres, quoteIdent } from './postgres-migrate.js';
import { createPostgresRateLimiter } from './postgres-rate-limiter.js';
import { createPostgresTraceStore } from './postgres-trace-store.js';
import { createPostgresUsageLog } from './postgres-usage-log.js';
import { setUpVectorSupport, type VectorSearchChoice } from './postgres-vector-support.js';
import { createPgClient, createPgliteClient, type PgliteLike, type SqlClient } from './sql-client.js';

export interface PostgresStorageOptions extends StorageOptions {
  /** `postgres://user:password@host:5432/database`; `?schema=name` picks the schema. */
  url?: string;
  /** Extra `pg.Pool` settings (pool size `max`, timeouts, ssl); merged over the URL. */
  pool?: pg.PoolConfig;
  /** Runs over this PGlite instance instead of a server; the caller keeps ownership of it. */
  pglite?: PgliteLike;
  /** Any client implementing the small query interface; the storage closes it on close. */
  client?: SqlClient;
  /** Default: the URL's `?schema=`, else `public`. Created when missing. */
  schema?: string;
  /** `auto` (default) uses pgvector when `CREATE EXTENSION vector` works; `pgvector` requires it. */
  vector?: VectorSearchChoice;
  /** Where the `vector` extension is created when missing; default `public`. */
  extensionSchema?: string;
  migrations?: readonly Migration[];
}

export interface PostgresStorage extends Storage {
  readonly kind: 'postgres';
  readonly schema: string;
  /** How `documents.searchVector` runs, and why. */
  readonly vectorSearch: { mode: 'pgvector' | 'js'; reason: string };
  /** The query client, for diagnostics and tests; not part of the portable API. */
  readonly client: SqlClient;
}

/** bigint and numeric arrive as strings by default; every value Conduit stores fits a double. */
const NUMERIC_TYPES = new Set([20, 1700]);
function typeParsers(driver: typeof pg): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      NUMERIC_TYPES.has(oid)
        ? Number
        : driver.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
}

function splitSchema(url: string | undefined): { url: string | undefined; schema: string | undefined } {
  if (!url) return { url, schema: undefined };
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  return { url: parsed.toString(), schema };
}

async function openClient(options: PostgresStorageOptions, url: string | undefined): Promise<SqlClient> {
  if (options.client) return options.client;
  if (options.pglite) return createPgliteClient(options.pglite, false);
  // An optional peer dependency, loaded only for a server URL.
  const { default: driver } = await importOptional('pg', 'PostgreSQL storage', () => import('pg'));
  // pg waits forever for a connection by default; a storage URL pointing nowhere should fail.
  const pool = new driver.Pool({
    connectionString: url,
    connectionTimeoutMillis: 10_000,
    ...options.pool,
    types: typeParsers(driver),
  });
  // An idle connection that the server drops is reported as an 'error' event; without a listener
  // Node would end the process. The pool replaces the connection, and the next query reports
  // any lasting outage to its caller.
  pool.on('error', () => {});
  return createPgClient(pool, true);
}

export async function createPostgresStorage(options: PostgresStorageOptions): Promise<PostgresStorage> {
  const { url, schema: urlSchema } = splitSchema(options.url);
  const schema = checkSchemaName(options.schema ?? urlSchema ?? 'public');
  const client = await openClient(options, url);
  let vectors: Awaited<ReturnType<typeof setUpVectorSupport>>;
  try {
    await migratePostgres(client, schema, options.migrations);
    vectors = await setUpVectorSupport(client, options.vector ?? 'auto', options.extensionSchema ?? 'public');
  } catch (error) {
    await client.close().catch(() => {});
    throw url && isConnectionError(error) ? connectionError(url, error) : error;
  }
  const ctx: PostgresContext = { client, s: quoteIdent(schema), now: options.now ?? Date.now };
  let closed = false;
  return {
    kind: 'postgres',
    schema,
    vectorSearch: { mode: vectors.mode, reason: vectors.reason },
    client,
    keys: createPostgresKeyStore(ctx),
    usage: createPostgresUsageLog(ctx),
    cache: createPostgresCache(ctx),
    rateLimiter: createPostgresRateLimiter(ctx),
    budgets: createPostgresBudgetLedger(ctx),
    documents: createPostgresDocumentStore(ctx, vectors),
    evals: createPostgresEvalStore(ctx),
    traces: createPostgresTraceStore(ctx),
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}
