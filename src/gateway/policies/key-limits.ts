/**
 * A virtual key's own limits: the models it may call, requests per minute and tokens per minute.
 * tpm is reserved, not just checked: a call takes its estimated tokens (`estimateRequest`, clamped to
 * the limit so one call always fits an empty window) before it runs, and when it ends the part it did
 * not use goes back (`refund`) or what it used beyond the estimate is added. tpm is taken before rpm,
 * and given back when rpm then refuses, so a refused call costs neither. Master, local and anonymous
 * callers pass untouched. Limits are shared through the RateLimiter port, so every replica on the
 * same store (or Redis) counts against one window.
 */
import type { ChatRequest } from '../../core/chat-request.js';
import { ConduitError } from '../../core/errors.js';
import type { PrincipalKey } from '../../core/language-model.js';
import type { RateLimiter } from '../../storage/ports/rate-limiter.js';
import { estimateRequest } from './estimate-request.js';
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

/** Called once when the call ends, with the tokens it really used (0 when it failed before usage). */
export type SettleTokens = (actualTokens: number) => void;

/**
 * Admits a call against the key's tpm and rpm; throws `rate_limited`. With `estimatedTokens` the
 * estimate is reserved in the tpm window and the returned function settles it; without (a caller
 * that cannot estimate) tpm is only checked, and the returned function counts what was used.
 */
export async function admitKeyRate(
  limiter: RateLimiter,
  key: PrincipalKey,
  estimatedTokens?: number,
): Promise<SettleTokens> {
  const tpmKey = `key:${key.id}:tpm`;
  let reserved = 0;
  let windowStart = 0;
  if (key.tpm !== null) {
    const window = { limit: key.tpm, windowMs: MINUTE };
    if (estimatedTokens === undefined) {
      const d = await limiter.peek(tpmKey, window);
      if (!d.allowed) throw keyLimitError(key, `${key.tpm} tokens`, d.retryAfterMs);
    } else {
      reserved = Math.min(Math.max(1, Math.ceil(estimatedTokens)), key.tpm);
      const d = await limiter.consume(tpmKey, { ...window, amount: reserved });
      if (!d.allowed) throw keyLimitError(key, `${key.tpm} tokens`, d.retryAfterMs);
      windowStart = d.windowStart;
    }
  }
  if (key.rpm !== null) {
    const d = await limiter.consume(`key:${key.id}:rpm`, { limit: key.rpm, windowMs: MINUTE });
    if (!d.allowed) {
      if (reserved > 0) await giveBack(limiter, tpmKey, reserved, windowStart);
      throw keyLimitError(key, `${key.rpm} requests`, d.retryAfterMs);
    }
  }
  let settled = false;
  return (actualTokens) => {
    if (settled || key.tpm === null) return;
    settled = true;
    const used = Number.isFinite(actualTokens) && actualTokens > 0 ? actualTokens : 0;
    if (used > reserved) {
      void limiter
        .consume(tpmKey, { limit: key.tpm, windowMs: MINUTE, amount: used - reserved, force: true })
        .catch(() => undefined);
    } else if (used < reserved) {
      void giveBack(limiter, tpmKey, reserved - used, windowStart);
    }
  };
}

/** Off the call's path: a refund that fails leaves the window stricter, never looser. */
function giveBack(limiter: RateLimiter, key: string, amount: number, windowStart: number): Promise<void> {
  return limiter.refund(key, { windowMs: MINUTE, amount, windowStart }).catch(() => undefined);
}

export function keyLimits(options: KeyLimitsOptions): ModelPolicy {
  return (model) =>
    interceptCalls(model, (request, call) => {
      const principal = call.principal;
      if (principal?.kind !== 'virtual') return undefined;
      const key = principal.key;
      checkModelAccess(key, model.modelId);
      if (key.rpm === null && key.tpm === null) return undefined;
      const estimate = key.tpm === null ? 0 : estimateTokens(request);
      return admitKeyRate(options.limiter, key, estimate).then((settleTokens) => ({
        settle: ({ usage }) => settleTokens(usage?.totalTokens ?? 0),
      }));
    });
}

function estimateTokens(request: ChatRequest): number {
  const { promptTokens, outputTokens } = estimateRequest(request);
  return promptTokens + outputTokens;
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
