/** SQLite adapter of `KeyStore`. */
import { ConduitError } from '../../core/errors.js';
import type { CreateKeyInput, KeySettings, KeyStore, VirtualKey } from '../ports/key-store.js';
import { checkNonEmpty } from '../shared/checks.js';
import { fromJson } from '../shared/json.js';
import { checkKeyHash, newVirtualKey, patchVirtualKey } from '../shared/key-records.js';
import { mapSqliteError, type SqliteDatabase } from './sqlite-database.js';

interface KeyRow {
  id: string;
  name: string;
  hash: string;
  prefix: string;
  models: string;
  /** JSON list, or NULL for the default scope. */
  collections: string | null;
  rpm: number | null;
  tpm: number | null;
  budget_usd: number | null;
  budget_period: VirtualKey['budgetPeriod'];
  metadata: string;
  created_at: number;
  updated_at: number;
  revoked_at: number | null;
  expires_at: number | null;
}

function fromRow(row: KeyRow): VirtualKey {
  return {
    id: row.id,
    name: row.name,
    hash: row.hash,
    prefix: row.prefix,
    models: fromJson<string[]>(row.models, []),
    collections: row.collections === null ? null : fromJson<string[]>(row.collections, []),
    rpm: row.rpm,
    tpm: row.tpm,
    budgetUsd: row.budget_usd,
    budgetPeriod: row.budget_period,
    metadata: fromJson<Record<string, unknown>>(row.metadata, {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    revokedAt: row.revoked_at,
    expiresAt: row.expires_at,
  };
}

function toParams(key: VirtualKey) {
  return {
    ...key,
    models: JSON.stringify(key.models),
    collections: key.collections === null ? null : JSON.stringify(key.collections),
    metadata: JSON.stringify(key.metadata),
  };
}

export function createSqliteKeyStore(db: SqliteDatabase, now: () => number): KeyStore {
  const insert = db.prepare(`INSERT INTO virtual_keys
    (id, name, hash, prefix, models, collections, rpm, tpm, budget_usd, budget_period, metadata, created_at, updated_at, revoked_at, expires_at)
    VALUES (@id, @name, @hash, @prefix, @models, @collections, @rpm, @tpm, @budgetUsd, @budgetPeriod, @metadata, @createdAt, @updatedAt, @revokedAt, @expiresAt)`);
  const save =
    db.prepare(`UPDATE virtual_keys SET name = @name, hash = @hash, prefix = @prefix, models = @models,
    collections = @collections, rpm = @rpm, tpm = @tpm, budget_usd = @budgetUsd, budget_period = @budgetPeriod, metadata = @metadata,
    updated_at = @updatedAt, revoked_at = @revokedAt, expires_at = @expiresAt WHERE id = @id`);
  const byId = db.prepare<[string], KeyRow>('SELECT * FROM virtual_keys WHERE id = ?');
  const byHash = db.prepare<[string], KeyRow>('SELECT * FROM virtual_keys WHERE hash = ?');
  const all = db.prepare<[number], KeyRow>(
    'SELECT * FROM virtual_keys WHERE (? = 1 OR revoked_at IS NULL) ORDER BY created_at, id',
  );

  /** Read-modify-write in one IMMEDIATE transaction so concurrent updates cannot lose each other's fields. */
  const modify = (id: string, change: (key: VirtualKey) => VirtualKey): VirtualKey =>
    db
      .transaction(() => {
        const row = byId.get(id);
        if (!row) throw new ConduitError('not_found', `Key ${id} not found`);
        const next = change(fromRow(row));
        try {
          save.run(toParams(next));
        } catch (error) {
          throw mapSqliteError(error, 'A key with this hash');
        }
        return next;
      })
      .immediate();

  return {
    async create(input: CreateKeyInput) {
      const key = newVirtualKey(input, now());
      try {
        insert.run(toParams(key));
      } catch (error) {
        throw mapSqliteError(error, `Key ${key.id} or its hash`);
      }
      return key;
    },
    async findByHash(hash) {
      const row = byHash.get(hash);
      return row ? fromRow(row) : undefined;
    },
    async get(id) {
      const row = byId.get(id);
      return row ? fromRow(row) : undefined;
    },
    async list(options = {}) {
      return all.all(options.includeRevoked ? 1 : 0).map((row) => {
        const { hash: _hash, ...info } = fromRow(row);
        return info;
      });
    },
    async revoke(id) {
      return modify(id, (key) =>
        key.revokedAt !== null ? key : { ...key, revokedAt: now(), updatedAt: now() },
      );
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
    async update(id, patch: KeySettings) {
      return modify(id, (key) => patchVirtualKey(key, patch, now()));
    },
  };
}
