/**
 * Port for request and token rate limits. Counters are sliding windows (the weighted two-window
 * approximation used by Cloudflare and Redis cells), so a burst at a window edge cannot double the
 * limit. `consume` is atomic per key: under concurrency exactly `limit` units are admitted. A caller
 * that reserved more than it used (a token estimate) gives the rest back with `refund`.
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
  /** Start (ms) of the fixed window the units were counted in: what `refund` needs to find them. */
  windowStart: number;
}

export interface RateLimitRefund {
  windowMs: number;
  /** Units to give back; the window's count never goes below 0. */
  amount: number;
  /** `windowStart` of the decision that took the units. */
  windowStart: number;
}

export interface RateLimiter {
  consume(key: string, request: RateLimitRequest): Promise<RateLimitDecision>;
  /** The state `consume` would see, without taking anything; `allowed` means at least one unit is left. */
  peek(key: string, request: Omit<RateLimitRequest, 'amount' | 'force'>): Promise<RateLimitDecision>;
  /**
   * Gives back units taken in the window starting at `windowStart`: from the current count while that
   * window is current, from the previous (decaying) count once the next one began; later, nothing —
   * the units no longer count. Atomic like `consume`.
   */
  refund(key: string, refund: RateLimitRefund): Promise<void>;
  reset(key: string): Promise<void>;
}
