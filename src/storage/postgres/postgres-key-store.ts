/** PostgreSQL adapter of `KeyStore`. */
import { ConduitError } from '../../core/errors.js';
import type { CreateKeyInput, KeySettings, KeyStore, VirtualKey } from '../ports/key-store.js';
import { checkNonEmpty } from '../shared/checks.js';
import { checkKeyHash, newVirtualKey, patchVirtualKey } from '../shared/key-records.js';
import type { PostgresContext } from './postgres-context.js';
import { mapPostgresError } from './postgres-errors.js';

interface KeyRow {
  id: string;
  name: string;
  hash: string;
  prefix: string;
  models: string[];
  /** SQL NULL for the default scope. */
  collections: string[] | null;
  rpm: number | null;
  tpm: number | null;
  budget_usd: number | null;
  budget_period: VirtualKey['budgetPeriod'];
  metadata: Record<string, unknown>;
  created_at: number;
  updated_at: number;
  revoked_at: number | null;
  expires_at: number | null;
}

const fromRow = (row: KeyRow): VirtualKey => ({
  id: row.id,
  name: row.name,
  hash: row.hash,
  prefix: row.prefix,
  models: row.models,
  collections: row.collections,
  rpm: row.rpm,
  tpm: row.tpm,
  budgetUsd: row.budget_usd,
  budgetPeriod: row.budget_period,
  metadata: row.metadata,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  revokedAt: row.revoked_at,
  expiresAt: row.expires_at,
});

const COLUMNS = `id, name, hash, prefix, models, rpm, tpm, budget_usd, budget_period, metadata, created_at,
  updated_at, revoked_at, expires_at, collections`;

const toParams = (key: VirtualKey) => [
  key.id,
  key.name,
  key.hash,
  key.prefix,
  JSON.stringify(key.models),
  key.rpm,
  key.tpm,
  key.budgetUsd,
  key.budgetPeriod,
  JSON.stringify(key.metadata),
  key.createdAt,
  key.updatedAt,
  key.revokedAt,
  key.expiresAt,
  // SQL NULL, not JSON null, for the default scope.
  key.collections === null ? null : JSON.stringify(key.collections),
];

export function createPostgresKeyStore({ client, s, now }: PostgresContext): KeyStore {
  const byColumn = async (column: 'id' | 'hash', value: string) => {
    const { rows } = await client.query<KeyRow>(
      `SELECT ${COLUMNS} FROM ${s}.virtual_keys WHERE ${column} = $1`,
      [value],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  };

  /** Read-modify-write under a row lock, so concurrent updates cannot lose each other's fields. */
  const modify = (id: string, change: (key: VirtualKey) => VirtualKey) =>
    client.transaction(async (tx) => {
      const { rows } = await tx.query<KeyRow>(
        `SELECT ${COLUMNS} FROM ${s}.virtual_keys WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!rows[0]) throw new ConduitError('not_found', `Key ${id} not found`);
      const next = change(fromRow(rows[0]));
      try {
        // created_at never changes; naming $11 lets the update reuse the insert's parameter list.
        await tx.query(
          `UPDATE ${s}.virtual_keys SET name = $2, hash = $3, prefix = $4, models = $5, rpm = $6, tpm = $7,
           budget_usd = $8, budget_period = $9, metadata = $10, updated_at = $12, revoked_at = $13,
           expires_at = $14, collections = $15 WHERE id = $1 AND created_at = $11`,
          toParams(next),
        );
      } catch (error) {
        throw mapPostgresError(error, 'A key with this hash');
      }
      return next;
    });

  return {
    async create(input: CreateKeyInput) {
      const key = newVirtualKey(input, now());
      const placeholders = toParams(key).map((_, i) => `$${i + 1}`);
      try {
        await client.query(
          `INSERT INTO ${s}.virtual_keys (${COLUMNS}) VALUES (${placeholders.join(', ')})`,
          toParams(key),
        );
      } catch (error) {
        throw mapPostgresError(error, `Key ${key.id} or its hash`);
      }
      return key;
    },
    findByHash: (hash) => byColumn('hash', hash),
    get: (id) => byColumn('id', id),
    async list(options = {}) {
      const { rows } = await client.query<KeyRow>(
        `SELECT ${COLUMNS} FROM ${s}.virtual_keys WHERE ($1 OR revoked_at IS NULL) ORDER BY created_at, id COLLATE "C"`,
        [options.includeRevoked === true],
      );
      return rows.map((row) => {
        const { hash: _hash, ...info } = fromRow(row);
        return info;
      });
    },
    revoke(id) {
      return modify(id, (key) => {
        if (key.revokedAt !== null) return key;
        const at = now();
        return { ...key, revokedAt: at, updatedAt: at };
      });
    },
    async rotate(id, secret) {
      const hash = checkKeyHash(secret.hash);
      const prefix = checkNonEmpty(secret.prefix, 'prefix');
      return modify(id, (key) => {
        if (key.revokedAt !== null)
          throw new ConduitError('conflict', `Key ${id} is revoked; create a new one`);
        return { ...key, hash, prefix, updatedAt: now() };
      });
    },
    update(id, patch: KeySettings) {
      return modify(id, (key) => patchVirtualKey(key, patch, now()));
    },
  };
}
