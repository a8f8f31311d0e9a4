/**
 * Who is calling: the master key, a virtual key, or (development mode: no master key, loopback
 * only) anyone. Key lookups are cached briefly so the hot path rarely touches storage; a revocation
 * made through this process takes effect at once, one made by another replica within `cacheTtlMs`.
 */
import { timingSafeEqual } from 'node:crypto';
import { ConduitError } from '../core/errors.js';
import { hashKeySecret } from '../storage/key-secret.js';
import type { KeyStore, VirtualKey } from '../storage/ports/key-store.js';

export type Principal = { kind: 'master' } | { kind: 'anonymous' } | { kind: 'virtual'; key: VirtualKey };

export interface KeyAuthOptions {
  keys: KeyStore;
  masterKey?: string;
  /** Accept any token (and no token) when true; a virtual key is still recognised as itself. */
  devMode: boolean;
  cacheTtlMs?: number;
  now?: () => number;
}

export interface KeyAuth {
  /** Resolves the bearer token (or x-api-key) of a request. */
  authenticate(token: string | undefined): Promise<Principal>;
  /** Drops cached lookups (after a revoke/rotate/update made here). */
  invalidate(): void;
}

/** The token of `Authorization: Bearer …`, or of `x-api-key` (Anthropic clients send that). */
export function tokenFromHeaders(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (match) return match[1]!.trim();
  }
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.trim() ? apiKey.trim() : undefined;
}

/**
 * Constant-time equality of two secrets. Both are hashed first so the comparison takes the same time
 * whatever their lengths (comparing raw buffers would return early on a length mismatch). Virtual keys
 * need no such care: they are found by the SHA-256 of the token, and the time an index lookup takes
 * depends on the hash, which a caller cannot steer toward a stored one.
 */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(hashKeySecret(a), 'hex');
  const y = Buffer.from(hashKeySecret(b), 'hex');
  return timingSafeEqual(x, y) && a === b;
}

export function createKeyAuth(options: KeyAuthOptions): KeyAuth {
  const ttl = options.cacheTtlMs ?? 5_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { key: VirtualKey | undefined; until: number }>();

  const lookup = async (token: string): Promise<VirtualKey | undefined> => {
    const hash = hashKeySecret(token);
    const hit = cache.get(hash);
    if (hit && hit.until > now()) return hit.key;
    const key = await options.keys.findByHash(hash);
    if (cache.size > 10_000) cache.clear();
    cache.set(hash, { key, until: now() + ttl });
    return key;
  };

  return {
    async authenticate(token) {
      if (token && options.masterKey && sameSecret(token, options.masterKey)) return { kind: 'master' };
      const key = token ? await lookup(token) : undefined;
      if (key) {
        if (key.revokedAt !== null) {
          throw new ConduitError('authentication', `API key ${key.prefix}… was revoked`, {
            param: 'authorization',
          });
        }
        if (key.expiresAt !== null && key.expiresAt <= now()) {
          throw new ConduitError('authentication', `API key ${key.prefix}… has expired`, {
            param: 'authorization',
          });
        }
        return { kind: 'virtual', key };
      }
      if (options.devMode) return { kind: 'anonymous' };
      throw new ConduitError(
        'authentication',
        token
          ? 'Invalid API key: use the master key or a virtual key from `conduit keys create`'
          : 'Missing API key: send "Authorization: Bearer <key>"',
        { param: 'authorization' },
      );
    },
    invalidate: () => cache.clear(),
  };
}
