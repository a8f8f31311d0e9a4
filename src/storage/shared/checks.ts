/**
 * Argument checks shared by adapters, so every backend rejects the same inputs with the same
 * `bad_request` instead of storing NaN costs or negative limits.
 */
import { ConduitError } from '../../core/errors.js';

export function badRequest(message: string, param?: string): ConduitError {
  return new ConduitError('bad_request', message, param ? { param } : {});
}

export function checkNonNegative(value: number, param: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw badRequest(`${param} must be a finite number >= 0, got ${String(value)}`, param);
  }
  return value;
}

export function checkNonNegativeInt(value: number, param: string): number {
  checkNonNegative(value, param);
  if (!Number.isInteger(value)) throw badRequest(`${param} must be an integer, got ${value}`, param);
  return value;
}

export function checkOptionalNonNegative(value: number | null | undefined, param: string): number | null {
  return value === null || value === undefined ? null : checkNonNegative(value, param);
}

export function checkNonEmpty(value: string, param: string): string {
  if (typeof value !== 'string' || value.length === 0)
    throw badRequest(`${param} must be a non-empty string`, param);
  return value;
}

/** Clamps a page size to [1, max]; `undefined` gives the default. */
export function pageLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined) return fallback;
  checkNonNegativeInt(limit, 'limit');
  return Math.min(Math.max(limit, 1), max);
}

/** What every cache adapter accepts: a non-empty key, a string or Buffer, a positive ttl or none. */
export function checkCacheEntry(key: string, value: unknown, ttlMs: number | undefined): void {
  checkNonEmpty(key, 'key');
  if (ttlMs !== undefined && !(ttlMs > 0))
    throw badRequest('ttlMs must be > 0 (omit it for no expiry)', 'ttlMs');
  if (typeof value !== 'string' && !Buffer.isBuffer(value))
    throw badRequest('cache values are strings or Buffers');
}
