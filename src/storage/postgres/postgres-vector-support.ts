/**
 * Decides at open how vector search runs: in the database with pgvector when the `vector`
 * extension is installed or can be created, otherwise as an exact cosine scan in JavaScript over
 * the stored float4[] embeddings. Both are exact; the choice and its reason are reported on the
 * storage (`vectorSearch`), so a deployment can tell which one it got.
 */
import { ConduitError } from '../../core/errors.js';
import { checkSchemaName, quoteIdent } from './postgres-migrate.js';
import type { SqlClient } from './sql-client.js';

export type VectorSearchChoice = 'auto' | 'pgvector' | 'js';

export interface VectorSupport {
  mode: 'pgvector' | 'js';
  /** Quoted schema holding the extension's type and operators, when `mode` is 'pgvector'. */
  extensionSchema: string | null;
  /** Why this mode: e.g. `extension "vector" 0.8.0 in schema public` or the error CREATE EXTENSION gave. */
  reason: string;
}

async function installed(client: SqlClient): Promise<{ schema: string; version: string } | undefined> {
  const { rows } = await client.query<{ schema: string; version: string }>(
    `SELECT n.nspname AS schema, e.extversion AS version FROM pg_extension e
     JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'vector'`,
  );
  return rows[0];
}

export async function setUpVectorSupport(
  client: SqlClient,
  choice: VectorSearchChoice,
  extensionSchema: string,
): Promise<VectorSupport> {
  if (choice === 'js') return { mode: 'js', extensionSchema: null, reason: 'JavaScript scan was requested' };
  let found = await installed(client);
  let failure = '';
  if (!found) {
    // The extension lives outside Conduit's schema, so dropping that schema never drops it.
    const target = quoteIdent(checkSchemaName(extensionSchema));
    try {
      await client.transaction((tx) =>
        tx.exec(`CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA ${target}`),
      );
    } catch (error) {
      failure = (error as Error).message;
    }
    // Another process may have created it in the meantime; that counts as success.
    found = await installed(client);
  }
  if (found) {
    return {
      mode: 'pgvector',
      extensionSchema: quoteIdent(found.schema),
      reason: `extension "vector" ${found.version} in schema ${found.schema}`,
    };
  }
  if (choice === 'pgvector') {
    throw new ConduitError(
      'unsupported',
      `pgvector was required but CREATE EXTENSION vector failed: ${failure}. Install pgvector on the server or use vector: 'auto'`,
    );
  }
  return { mode: 'js', extensionSchema: null, reason: `pgvector unavailable (${failure})` };
}
