/**
 * The on-disk response cache of `conduit eval`: one JSON file per entry under
 * `$CONDUIT_HOME/cache/eval/<2 hex>/<sha256>.json`, written to a temporary name and renamed so a
 * crash or a parallel run never leaves half an entry. A file that does not parse is a miss. Keys
 * hash the model id and the full request (`requestKey`), so changing a prompt, a sampling setting or
 * the model is a new entry, and nothing expires: a cached answer is the answer that request got.
 *
 * @example
 * const cache = createDiskCache(join(cacheDir(), 'eval'));
 * await cache.set(requestKey(['openai:gpt-4o-mini', request]), entry);
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ResponseCache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
}

/** JSON with object keys sorted, so equal requests hash equally whatever order built them. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

export function requestKey(parts: unknown): string {
  return createHash('sha256').update('conduit-eval-v1\0').update(stableJson(parts)).digest('hex');
}

export function createDiskCache(dir: string): ResponseCache {
  const pathOf = (key: string) => join(dir, key.slice(0, 2), `${key}.json`);
  return {
    async get<T>(key: string) {
      try {
        return JSON.parse(await readFile(pathOf(key), 'utf8')) as T;
      } catch {
        return undefined;
      }
    },
    async set(key, value) {
      const path = pathOf(key);
      const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        await mkdir(join(dir, key.slice(0, 2)), { recursive: true });
        await writeFile(temp, JSON.stringify(value));
        await rename(temp, path);
      } catch {
        // A cache that cannot be written only costs speed; the run goes on.
        await rm(temp, { force: true }).catch(() => {});
      }
    },
  };
}

/** An in-memory cache with the same interface, for tests and `--no-cache`-free programmatic runs. */
export function createMemoryResponseCache(): ResponseCache & { readonly size: number } {
  const entries = new Map<string, string>();
  return {
    get size() {
      return entries.size;
    },
    async get<T>(key: string) {
      const text = entries.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as T);
    },
    async set(key, value) {
      entries.set(key, JSON.stringify(value));
    },
  };
}
