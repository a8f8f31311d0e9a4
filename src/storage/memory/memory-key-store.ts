/** In-memory `KeyStore`, for tests and throwaway gateways. */
import { ConduitError } from '../../core/errors.js';
import type { KeyStore, VirtualKey } from '../ports/key-store.js';
import { checkNonEmpty } from '../shared/checks.js';
import { jsonClone } from '../shared/json.js';
import { checkKeyHash, newVirtualKey, patchVirtualKey } from '../shared/key-records.js';

export function createMemoryKeyStore(now: () => number): KeyStore {
  const byId = new Map<string, VirtualKey>();
  const idByHash = new Map<string, string>();

  const modify = (id: string, change: (key: VirtualKey) => VirtualKey): VirtualKey => {
    const key = byId.get(id);
    if (!key) throw new ConduitError('not_found', `Key ${id} not found`);
    const next = change(key);
    if (next.hash !== key.hash) {
      if (idByHash.has(next.hash)) throw new ConduitError('conflict', 'A key with this hash already exists');
      idByHash.delete(key.hash);
      idByHash.set(next.hash, id);
    }
    byId.set(id, next);
    return jsonClone(next);
  };

  return {
    async create(input) {
      const key = newVirtualKey(input, now());
      if (byId.has(key.id) || idByHash.has(key.hash)) {
        throw new ConduitError('conflict', `Key ${key.id} or its hash already exists`);
      }
      byId.set(key.id, key);
      idByHash.set(key.hash, key.id);
      return jsonClone(key);
    },
    async findByHash(hash) {
      const id = idByHash.get(hash);
      return id === undefined ? undefined : jsonClone(byId.get(id));
    },
    async get(id) {
      const key = byId.get(id);
      return key && jsonClone(key);
    },
    async list(options = {}) {
      return [...byId.values()]
        .filter((key) => options.includeRevoked || key.revokedAt === null)
        .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map(({ hash: _hash, ...info }) => jsonClone(info));
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
    async update(id, patch) {
      return modify(id, (key) => patchVirtualKey(key, patch, now()));
    },
  };
}
