/**
 * Port for request and token rate limits. Counters are sliding windows (the weighted two-window
 * approximation used by Cloudflare and Redis cells), so a burst at a window edge cannot double the
 * limit. `consume` is atomic per key: under concurrency exactly `limit` units are admitted.
 */

export interface RateLimitRequest {
  limit: number;
  windowMs: number;
  /** Units to take; default 1 (a request). For token limits, the token count. */
  amount?: number;
  /**
   * Records the amount even when it exceeds the limit, e.g. the real token count learnt after a
   * response; `allowed` still says whether it fitted.
   */
  force?: boolean;
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  /** Whole units left in the window after this call. */
  remaining: number;
  /** Milliseconds until the current fixed window rolls over. */
  resetMs: number;
  /**
   * 0 when allowed; otherwise the wait after which the same `amount` fits, assuming no other traffic.
   * When `amount` exceeds `limit` it can never fit, and this is the time until the window is empty.
   */
  retryAfterMs: number;
}

export interface RateLimiter {
  consume(key: string, request: RateLimitRequest): Promise<RateLimitDecision>;
  /** The state `consume` would see, without taking anything; `allowed` means at least one unit is left. */
  peek(key: string, request: Omit<RateLimitRequest, 'amount' | 'force'>): Promise<RateLimitDecision>;
  reset(key: string): Promise<void>;
}
