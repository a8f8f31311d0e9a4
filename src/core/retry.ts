/**
 * Retries with exponential backoff and full jitter, honouring the upstream's Retry-After
 * (seconds or HTTP date) and retry-after-ms, bounded by attempts and by total elapsed time.
 */
import { ConduitError, toConduitError } from './errors.js';

export interface RetryPolicy {
  /** Total attempts including the first (1 = no retries). */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** No retry starts once this much time has passed since the first attempt. */
  maxElapsedMs: number;
  multiplier: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  initialDelayMs: 500,
  maxDelayMs: 20_000,
  maxElapsedMs: 60_000,
  multiplier: 2,
};

export function resolveRetryPolicy(...layers: (Partial<RetryPolicy> | false | undefined)[]): RetryPolicy {
  let policy = { ...DEFAULT_RETRY_POLICY };
  for (const layer of layers) {
    if (layer === false) policy = { ...policy, maxAttempts: 1 };
    else if (layer) policy = { ...policy, ...layer };
  }
  return policy;
}

type HeaderSource = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Milliseconds the server asked us to wait, or undefined. `now` is injectable for tests. */
export function parseRetryAfter(headers: HeaderSource, now = Date.now()): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const raw = header(headers, 'retry-after');
  if (raw === undefined || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Full jitter: uniform in [0, min(maxDelay, initial * multiplier^(retry-1))]. */
export function backoffDelay(retry: number, policy: RetryPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/** Resolves after `ms`, or rejects with `cancelled` when the signal aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortReason(signal: AbortSignal): ConduitError {
  const reason = signal.reason as unknown;
  if (ConduitError.isInstance(reason)) return reason;
  return new ConduitError('cancelled', 'The request was cancelled', { cause: reason });
}

export interface RetryContext {
  attempt: number;
  error: ConduitError;
  delayMs: number;
}

export interface RetryOptions {
  policy: RetryPolicy;
  signal?: AbortSignal;
  provider?: string;
  onRetry?: (context: RetryContext) => void;
  random?: () => number;
  now?: () => number;
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or the policy is exhausted.
 * The error thrown is the last attempt's, as a ConduitError.
 */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const started = now();
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (thrown) {
      const error = toConduitError(thrown, options.provider);
      const delayMs = retryDelay(error, n, started, options, now);
      if (delayMs === undefined) throw error;
      options.onRetry?.({ attempt: n, error, delayMs });
      await sleep(delayMs, options.signal);
    }
  }
}

/** The wait before retry number `n`, or undefined when no retry should happen. */
export function retryDelay(
  error: ConduitError,
  attempt: number,
  started: number,
  options: Pick<RetryOptions, 'policy' | 'signal' | 'random'>,
  now: () => number = Date.now,
): number | undefined {
  const { policy } = options;
  if (!error.retryable || attempt >= policy.maxAttempts || options.signal?.aborted) return undefined;
  const delay = error.retryAfterMs ?? backoffDelay(attempt, policy, options.random);
  // A wait that would end past the elapsed budget is pointless: fail now, let the caller fall back.
  if (now() - started + delay > policy.maxElapsedMs) return undefined;
  return delay;
}
