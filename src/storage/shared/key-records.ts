/**
 * Builds and patches `VirtualKey` records. Adapters only persist what these return, so validation
 * and defaults are the same in every backend.
 */
import { randomUUID } from 'node:crypto';
import type { BudgetPeriod, CreateKeyInput, KeySettings, VirtualKey } from '../ports/key-store.js';
import { badRequest, checkNonEmpty, checkNonNegativeInt, checkOptionalNonNegative } from './checks.js';
import { jsonClone } from './json.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const PERIODS: ReadonlySet<BudgetPeriod> = new Set(['daily', 'weekly', 'monthly', 'total']);

/**
 * One entry of a key's `collections`: a collection name or a glob over names (`*` matches any run of
 * characters), optionally suffixed `:read`. Collection names use letters, digits, `.`, `_` and `-`,
 * so neither `*` nor `:` can be part of a real name.
 */
export const COLLECTION_SCOPE_ENTRY = /^[A-Za-z0-9._*-]{1,128}(:read)?$/;

function collectionList(value: unknown): string[] | null {
  if (value === null) return null;
  if (!Array.isArray(value) || value.some((e) => typeof e !== 'string' || !COLLECTION_SCOPE_ENTRY.test(e))) {
    throw badRequest(
      'collections must be null or a list of collection names or globs (team-a-*, *), each optionally ending in :read',
      'collections',
    );
  }
  return [...new Set(value as string[])];
}

/** Refuses anything but a hex SHA-256, which also stops a plaintext secret from being stored. */
export function checkKeyHash(hash: string): string {
  if (typeof hash !== 'string' || !SHA256_HEX.test(hash)) {
    throw badRequest('hash must be a lowercase hex SHA-256 of the key secret (see hashKeySecret)', 'hash');
  }
  return hash;
}

function optionalInt(value: number | null | undefined, param: string): number | null {
  return value === null || value === undefined ? null : checkNonNegativeInt(value, param);
}

function settings(patch: KeySettings, base: VirtualKey): VirtualKey {
  const next = { ...base };
  if (patch.name !== undefined) next.name = checkNonEmpty(patch.name, 'name');
  if (patch.models !== undefined) {
    if (!Array.isArray(patch.models) || patch.models.some((m) => typeof m !== 'string' || m === '')) {
      throw badRequest('models must be a list of model names', 'models');
    }
    next.models = [...patch.models];
  }
  if (patch.collections !== undefined) next.collections = collectionList(patch.collections);
  if (patch.rpm !== undefined) next.rpm = optionalInt(patch.rpm, 'rpm');
  if (patch.tpm !== undefined) next.tpm = optionalInt(patch.tpm, 'tpm');
  if (patch.budgetUsd !== undefined) next.budgetUsd = checkOptionalNonNegative(patch.budgetUsd, 'budgetUsd');
  if (patch.budgetPeriod !== undefined) {
    if (!PERIODS.has(patch.budgetPeriod)) {
      throw badRequest(`budgetPeriod must be one of ${[...PERIODS].join(', ')}`, 'budgetPeriod');
    }
    next.budgetPeriod = patch.budgetPeriod;
  }
  if (patch.metadata !== undefined) next.metadata = jsonClone(patch.metadata, 'metadata');
  if (patch.expiresAt !== undefined) next.expiresAt = checkOptionalNonNegative(patch.expiresAt, 'expiresAt');
  return next;
}

export function newVirtualKey(input: CreateKeyInput, now: number): VirtualKey {
  const blank: VirtualKey = {
    id: input.id === undefined ? `key_${randomUUID().replaceAll('-', '')}` : checkNonEmpty(input.id, 'id'),
    name: '',
    hash: checkKeyHash(input.hash),
    prefix: checkNonEmpty(input.prefix, 'prefix'),
    models: [],
    collections: null,
    rpm: null,
    tpm: null,
    budgetUsd: null,
    budgetPeriod: 'total',
    metadata: {},
    createdAt: now,
    updatedAt: now,
    revokedAt: null,
    expiresAt: null,
  };
  return settings({ ...input, name: checkNonEmpty(input.name, 'name') }, blank);
}

export function patchVirtualKey(key: VirtualKey, patch: KeySettings, now: number): VirtualKey {
  return { ...settings(patch, key), updatedAt: now };
}
