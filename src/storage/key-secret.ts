/**
 * Makes and hashes gateway key secrets. The store keeps only the hash and a display prefix; the
 * secret is shown to the user once, at creation or rotation.
 *
 * @example
 * const { secret, hash, prefix } = generateKeySecret();
 * await storage.keys.create({ name: 'ci', hash, prefix });
 * // later, per request:
 * const key = await storage.keys.findByHash(hashKeySecret(bearerToken));
 */
import { createHash, randomBytes } from 'node:crypto';

export const KEY_SECRET_PREFIX = 'sk-cdt-';
const DISPLAY_CHARS = 4;

/** Lowercase hex SHA-256. A 256-bit random secret needs no salt or slow hash. */
export function hashKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function generateKeySecret(): { secret: string; hash: string; prefix: string } {
  const secret = KEY_SECRET_PREFIX + randomBytes(32).toString('base64url');
  return { secret, hash: hashKeySecret(secret), prefix: keyDisplayPrefix(secret) };
}

/** `sk-cdt-abcd`: enough to tell keys apart in a list, far too little to guess the rest. */
export function keyDisplayPrefix(secret: string): string {
  const start = secret.startsWith(KEY_SECRET_PREFIX) ? KEY_SECRET_PREFIX.length : 0;
  return secret.slice(0, start + DISPLAY_CHARS);
}
