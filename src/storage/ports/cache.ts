/**
 * Port for the gateway's response cache: opaque values under string keys with a time to live.
 * The value comes back as the type it was stored as (string or Buffer).
 */

export type CacheValue = string | Buffer;

export interface Cache {
  /** Expired entries are never returned, even before `prune()` removes them. */
  get(key: string): Promise<CacheValue | undefined>;
  /** Without `ttlMs` the entry lives until deleted. Overwrites an existing entry. */
  set(key: string, value: CacheValue, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<boolean>;
  clear(): Promise<void>;
  /** Removes expired entries; returns how many. */
  prune(): Promise<number>;
}
