/**
 * A virtual key's own limits: the models it may call, requests per minute (counted on arrival) and
 * tokens per minute (checked on arrival, counted when the answer's usage is known). Master, local
 * and anonymous callers pass untouched. Limits are shared through the RateLimiter port, so every
 * replica on the same store (or Redis) counts against one window.
 */
import { ConduitError } from '../../core/errors.js';
import type { PrincipalKey } from '../../core/language-model.js';
import type { RateLimiter } from '../../storage/ports/rate-limiter.js';
import { interceptCalls, type ModelPolicy } from './model-policy.js';

const MINUTE = 60_000;

export interface KeyLimitsOptions {
  limiter: RateLimiter;
}

/** Refuses a key's call to a model outside its list; `name` is the model name the key asked for. */
export function checkModelAccess(key: PrincipalKey, name: string): void {
  if (key.models.length === 0 || key.models.includes(name)) return;
  throw new ConduitError(
    'permission',
    `This API key may not use the model "${name}"; it may use: ${key.models.join(', ')}`,
    { param: 'model' },
  );
}

/** Checks a key's rpm (consuming one request) and tpm (peeking); throws `rate_limited`. */
export async function admitKeyRate(limiter: RateLimiter, key: PrincipalKey): Promise<void> {
  if (key.rpm !== null) {
    const d = await limiter.consume(`key:${key.id}:rpm`, { limit: key.rpm, windowMs: MINUTE });
    if (!d.allowed) throw keyLimitError(key, `${key.rpm} requests`, d.retryAfterMs);
  }
  if (key.tpm !== null) {
    const d = await limiter.peek(`key:${key.id}:tpm`, { limit: key.tpm, windowMs: MINUTE });
    if (!d.allowed) throw keyLimitError(key, `${key.tpm} tokens`, d.retryAfterMs);
  }
}

/** Counts a finished call's tokens against the key's tpm window. */
export function countKeyTokens(limiter: RateLimiter, key: PrincipalKey, tokens: number): void {
  if (key.tpm === null || tokens <= 0) return;
  void limiter
    .consume(`key:${key.id}:tpm`, { limit: key.tpm, windowMs: MINUTE, amount: tokens, force: true })
    .catch(() => undefined);
}

export function keyLimits(options: KeyLimitsOptions): ModelPolicy {
  return (model) =>
    interceptCalls(model, (_request, call) => {
      const principal = call.principal;
      if (principal?.kind !== 'virtual') return undefined;
      const key = principal.key;
      checkModelAccess(key, model.modelId);
      return admitKeyRate(options.limiter, key).then(() => ({
        settle: ({ usage }) => countKeyTokens(options.limiter, key, usage?.totalTokens ?? 0),
      }));
    });
}

/** 429 for a key over its own limit: not retryable by a router (the key, not the upstream, is full). */
function keyLimitError(key: PrincipalKey, limit: string, retryAfterMs: number): ConduitError {
  return new ConduitError(
    'rate_limited',
    `Rate limit of ${limit} per minute reached for key ${key.prefix}…`,
    {
      retryAfterMs,
      retryable: false,
    },
  );
}
