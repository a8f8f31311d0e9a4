/**
 * Multi-row INSERT: one statement per batch of rows instead of one round trip per row. Postgres
 * allows 65,535 parameters in a statement, so large batches are split; callers that need all or
 * nothing run this inside a transaction.
 */
import type { SqlQueryable } from './sql-client.js';

const MAX_PARAMETERS = 65_535;

export interface InsertRowsOptions {
  /** SQL around a column's parameter, e.g. `(p) => \`to_tsvector(cfg, ${p})\``; default the parameter. */
  expressions?: Partial<Record<string, (param: string) => string>>;
  /** Appended to every statement, e.g. an ON CONFLICT clause. */
  suffix?: string;
}

export async function insertRows(
  q: SqlQueryable,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  options: InsertRowsOptions = {},
): Promise<void> {
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  for (let first = 0; first < rows.length; first += perStatement) {
    const batch = rows.slice(first, first + perStatement);
    const params: unknown[] = [];
    const tuples = batch.map((row) => {
      const cells = columns.map((column, i) => {
        params.push(row[i]);
        const param = `$${params.length}`;
        return options.expressions?.[column]?.(param) ?? param;
      });
      return `(${cells.join(', ')})`;
    });
    await q.query(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')} ${options.suffix ?? ''}`,
      params,
    );
  }
}
