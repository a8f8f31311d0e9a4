/**
 * What every Postgres port is built from: the query client, the quoted schema that prefixes every
 * table (so storages in different schemas can share one pool or one PGlite), and the clock.
 */
import type { SqlClient } from './sql-client.js';

export interface PostgresContext {
  client: SqlClient;
  /** Quoted schema name, ready to splice into SQL: `${s}.usage_log`. */
  s: string;
  now: () => number;
}
