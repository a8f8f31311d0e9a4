/**
 * The small query interface the Postgres adapter is written against, so the same code runs over a
 * `pg.Pool` (a real server) and over PGlite (Postgres in WebAssembly, in-process, with pgvector).
 * Only what the adapter needs: parameterised queries, multi-statement scripts and transactions.
 */
import type pg from 'pg';

export interface SqlResult<R> {
  rows: R[];
  /** Rows inserted, updated or deleted by the statement; 0 for a SELECT that returned none. */
  rowCount: number;
}

export interface SqlQueryable {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<R>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface SqlClient extends SqlQueryable {
  /** Runs `body` between BEGIN and COMMIT on one connection; rolls back when it throws. */
  transaction<T>(body: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Releases connections this client opened; leaves alone what the caller owns. */
  close(): Promise<void>;
}

/** The part of PGlite's API used here, written out so the published types never need PGlite. */
export interface PgliteQueryable {
  query<R>(text: string, params?: unknown[]): Promise<{ rows: R[]; affectedRows?: number }>;
  exec(sql: string): Promise<unknown>;
}

export interface PgliteLike extends PgliteQueryable {
  transaction<T>(body: (tx: PgliteQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function fromPglite(db: PgliteQueryable): SqlQueryable {
  return {
    async query<R>(text: string, params: readonly unknown[] = []) {
      const result = await db.query<R>(text, [...params]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    async exec(sql) {
      await db.exec(sql);
    },
  };
}

/** Wraps a PGlite instance. `owned` says whether `close()` closes it too. */
export function createPgliteClient(db: PgliteLike, owned: boolean): SqlClient {
  return {
    ...fromPglite(db),
    // PGlite runs one transaction at a time and queues every other query behind it.
    transaction: (body) => db.transaction((tx) => body(fromPglite(tx))),
    async close() {
      if (owned) await db.close();
    },
  };
}

function fromPg(client: pg.Pool | pg.PoolClient): SqlQueryable {
  return {
    async query<R>(text: string, params: readonly unknown[] = []) {
      const result = await client.query(text, [...params]);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    },
    async exec(sql) {
      // Without parameters pg uses the simple query protocol, which accepts several statements.
      await client.query(sql);
    },
  };
}

/** Wraps a `pg.Pool`. `owned` says whether `close()` ends the pool. */
export function createPgClient(pool: pg.Pool, owned: boolean): SqlClient {
  let closed = false;
  return {
    ...fromPg(pool),
    async transaction(body) {
      const connection = await pool.connect();
      let broken: Error | undefined;
      try {
        await connection.query('BEGIN');
        const result = await body(fromPg(connection));
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await connection.query('ROLLBACK');
        } catch (rollbackError) {
          // A connection that cannot roll back must not go back into the pool.
          broken = rollbackError as Error;
        }
        throw error;
      } finally {
        connection.release(broken);
      }
    },
    async close() {
      if (!owned || closed) return;
      closed = true;
      await pool.end();
    },
  };
}
