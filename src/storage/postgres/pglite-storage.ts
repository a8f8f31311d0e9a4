/**
 * The Postgres adapter over PGlite (PostgreSQL compiled to WebAssembly, in this process): the same
 * SQL as on a server, with no server to run. Useful for development and tests, and the way the
 * pgvector code path is exercised here, since `@electric-sql/pglite-pgvector` ships the extension.
 *
 * Both packages are optional (development dependencies of Conduit) and loaded only when asked for.
 * Without the pgvector package, vector search falls back to the JavaScript scan (unless
 * `vector: 'pgvector'` demands it).
 *
 * @example
 * const storage = await createPgliteStorage(); // in memory
 * const onDisk = await createPgliteStorage({ dataDir: './.conduit/pglite' });
 */
import { ConduitError } from '../../core/errors.js';
import {
  createPostgresStorage,
  type PostgresStorage,
  type PostgresStorageOptions,
} from './postgres-storage.js';
import { createPgliteClient, type PgliteLike } from './sql-client.js';

export interface PgliteStorageOptions
  extends Omit<PostgresStorageOptions, 'url' | 'pool' | 'pglite' | 'client'> {
  /** Directory of the database files; omitted or ':memory:' keeps the database in memory. */
  dataDir?: string;
}

interface PgliteModule {
  PGlite: {
    create(options: { dataDir?: string; extensions?: Record<string, unknown> }): Promise<PgliteLike>;
  };
}

// Specifiers in variables: the type checker and bundlers must not require these packages.
const PGLITE = '@electric-sql/pglite';
const PGVECTOR = '@electric-sql/pglite-pgvector';

/** Loads PGlite's pgvector extension, or explains why it is missing. */
export async function loadPgliteVector(): Promise<{ vector?: unknown; error?: string }> {
  try {
    const module = (await import(PGVECTOR)) as { vector: unknown };
    return { vector: module.vector };
  } catch (error) {
    return { error: `${PGVECTOR} is not installed (${(error as Error).message.split('\n')[0]})` };
  }
}

export async function createPgliteStorage(options: PgliteStorageOptions = {}): Promise<PostgresStorage> {
  let module: PgliteModule;
  try {
    module = (await import(PGLITE)) as PgliteModule;
  } catch (cause) {
    throw new ConduitError(
      'unsupported',
      `pglite: storage needs the ${PGLITE} package: npm install ${PGLITE}`,
      {
        cause,
      },
    );
  }
  const extensions: Record<string, unknown> = {};
  if (options.vector !== 'js') {
    const loaded = await loadPgliteVector();
    if (loaded.vector) extensions.vector = loaded.vector;
    else if (options.vector === 'pgvector') throw new ConduitError('unsupported', `${loaded.error}`);
  }
  const dataDir = options.dataDir === ':memory:' ? undefined : options.dataDir;
  const db = await module.PGlite.create({ dataDir, extensions });
  try {
    return await createPostgresStorage({ ...options, client: createPgliteClient(db, true) });
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}
