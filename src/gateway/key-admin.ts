/**
 * Virtual key administration shared by `conduit keys` and the admin API: create (the secret is
 * returned once; only its hash is stored), list, revoke, rotate, update.
 */
import { ConduitError } from '../core/errors.js';
import { generateKeySecret } from '../storage/key-secret.js';
import type { BudgetPeriod, KeyInfo, KeySettings, KeyStore, VirtualKey } from '../storage/ports/key-store.js';
import type { KeyAuth } from './key-auth.js';

export interface CreatedKey {
  /** Shown once; never stored. */
  secret: string;
  key: KeyInfo;
}

export interface KeyAdmin {
  create(settings: KeySettings & { name: string }): Promise<CreatedKey>;
  list(options?: { includeRevoked?: boolean }): Promise<KeyInfo[]>;
  revoke(idOrPrefix: string): Promise<KeyInfo>;
  rotate(idOrPrefix: string): Promise<CreatedKey>;
  update(idOrPrefix: string, patch: KeySettings): Promise<KeyInfo>;
}

export const BUDGET_PERIODS: readonly BudgetPeriod[] = ['daily', 'weekly', 'monthly', 'total'];

function info(key: VirtualKey): KeyInfo {
  const { hash: _hash, ...rest } = key;
  return rest;
}

export function createKeyAdmin(store: KeyStore, auth?: KeyAuth): KeyAdmin {
  /** Accepts a key id or its display prefix (`sk-cdt-abcd`), as lists show both. */
  const find = async (idOrPrefix: string): Promise<VirtualKey> => {
    const byId = await store.get(idOrPrefix);
    if (byId) return byId;
    const matches = (await store.list({ includeRevoked: true })).filter((k) => k.prefix === idOrPrefix);
    if (matches.length === 1) return (await store.get(matches[0]!.id))!;
    if (matches.length > 1) {
      throw new ConduitError('conflict', `Several keys start with ${idOrPrefix}; use the key id`, {
        param: 'id',
      });
    }
    throw new ConduitError(
      'not_found',
      `No key with id or prefix "${idOrPrefix}" (see \`conduit keys list\`)`,
      { param: 'id' },
    );
  };
  return {
    async create(settings) {
      const { secret, hash, prefix } = generateKeySecret();
      const key = await store.create({ ...settings, hash, prefix });
      return { secret, key: info(key) };
    },
    list: (options) => store.list(options),
    async revoke(idOrPrefix) {
      const key = await store.revoke((await find(idOrPrefix)).id);
      auth?.invalidate();
      return info(key);
    },
    async rotate(idOrPrefix) {
      const { secret, hash, prefix } = generateKeySecret();
      const key = await store.rotate((await find(idOrPrefix)).id, { hash, prefix });
      auth?.invalidate();
      return { secret, key: info(key) };
    },
    async update(idOrPrefix, patch) {
      const key = await store.update((await find(idOrPrefix)).id, patch);
      auth?.invalidate();
      return info(key);
    },
  };
}
