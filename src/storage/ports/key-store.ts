/**
 * Port for gateway virtual keys. Only a SHA-256 hash of each secret is stored, so a leaked database
 * cannot be replayed against the gateway; the short `prefix` lets people recognise a key in lists.
 */

export type BudgetPeriod = 'daily' | 'weekly' | 'monthly' | 'total';

export interface VirtualKey {
  id: string;
  name: string;
  /** Lowercase hex SHA-256 of the secret (see `hashKeySecret`). */
  hash: string;
  /** Display prefix such as `sk-cdt-abcd`; never enough to authenticate. */
  prefix: string;
  /** Model aliases this key may call; empty means all. */
  models: string[];
  /**
   * RAG collections this key may use: names or globs (`team-a-*`, `*`), each optionally suffixed
   * `:read` (search, ask, list and get only). `null` is the default: every collection for a key
   * without a model list, none for a key with one. `[]` means none. See `collectionScope`.
   */
  collections: string[] | null;
  rpm: number | null;
  tpm: number | null;
  budgetUsd: number | null;
  budgetPeriod: BudgetPeriod;
  metadata: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  revokedAt: number | null;
  expiresAt: number | null;
}

/** What lists show: everything but the hash. */
export type KeyInfo = Omit<VirtualKey, 'hash'>;

export interface KeySettings {
  name?: string;
  models?: string[];
  /** `null` restores the default (see `VirtualKey.collections`). */
  collections?: string[] | null;
  rpm?: number | null;
  tpm?: number | null;
  budgetUsd?: number | null;
  budgetPeriod?: BudgetPeriod;
  metadata?: Record<string, unknown>;
  expiresAt?: number | null;
}

export interface CreateKeyInput extends KeySettings {
  /** Generated when omitted. */
  id?: string;
  name: string;
  hash: string;
  prefix: string;
}

export interface KeyStore {
  /** Throws `conflict` when the id or hash already exists, `bad_request` when `hash` is not a SHA-256. */
  create(input: CreateKeyInput): Promise<VirtualKey>;
  /** Returns revoked and expired keys too, so the gateway can say why a key is refused. */
  findByHash(hash: string): Promise<VirtualKey | undefined>;
  get(id: string): Promise<VirtualKey | undefined>;
  /** Oldest first. Revoked keys are left out unless asked for. */
  list(options?: { includeRevoked?: boolean }): Promise<KeyInfo[]>;
  /** Idempotent: revoking twice keeps the first `revokedAt`. Throws `not_found`. */
  revoke(id: string): Promise<VirtualKey>;
  /** Replaces the secret and keeps id and settings; the old hash stops matching at once. */
  rotate(id: string, secret: { hash: string; prefix: string }): Promise<VirtualKey>;
  /** `null` clears a limit; omitted fields are left alone. Throws `not_found`. */
  update(id: string, patch: KeySettings): Promise<VirtualKey>;
}
