/** In-memory `Cache`. Expired entries are dropped when read or pruned. */
import type { Cache, CacheValue } from '../ports/cache.js';
import { checkCacheEntry } from '../shared/checks.js';

export function createMemoryCache(now: () => number): Cache {
  const entries = new Map<string, { value: CacheValue; expiresAt: number | null }>();
  const copy = (value: CacheValue) => (typeof value === 'string' ? value : Buffer.from(value));

  return {
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt !== null && entry.expiresAt <= now()) {
        entries.delete(key);
        return undefined;
      }
      return copy(entry.value);
    },
    async set(key, value, ttlMs) {
      checkCacheEntry(key, value, ttlMs);
      entries.set(key, { value: copy(value), expiresAt: ttlMs === undefined ? null : now() + ttlMs });
    },
    async delete(key) {
      return entries.delete(key);
    },
    async clear() {
      entries.clear();
    },
    async prune() {
      const at = now();
      let removed = 0;
      for (const [key, entry] of entries) {
        if (entry.expiresAt !== null && entry.expiresAt <= at) {
          entries.delete(key);
          removed++;
        }
      }
      return removed;
    },
  };
}
