/**
 * Sliding-window counter math shared by rate-limiter adapters (a Redis script will port it as is).
 * The estimate weights the previous fixed window by how much of it still overlaps the sliding one:
 * count = previous * (1 - elapsed / window) + current.
 */
import type { RateLimitDecision, RateLimitRefund, RateLimitRequest } from '../ports/rate-limiter.js';
import { badRequest, checkNonNegative } from './checks.js';

export interface WindowState {
  windowStart: number;
  current: number;
  previous: number;
}

export function checkRateLimitRequest(request: RateLimitRequest): Required<RateLimitRequest> {
  const { limit, windowMs, amount = 1, force = false } = request;
  checkNonNegative(limit, 'limit');
  if (!(windowMs > 0) || !Number.isFinite(windowMs)) throw badRequest('windowMs must be > 0', 'windowMs');
  if (!(amount > 0) || !Number.isFinite(amount)) throw badRequest('amount must be > 0', 'amount');
  return { limit, windowMs, amount, force };
}

/** Moves a stored state forward to the window that contains `now`. */
export function rollWindow(state: WindowState | undefined, now: number, windowMs: number): WindowState {
  const windowStart = Math.floor(now / windowMs) * windowMs;
  if (!state || state.windowStart < windowStart - windowMs) return { windowStart, current: 0, previous: 0 };
  if (state.windowStart === windowStart - windowMs)
    return { windowStart, current: 0, previous: state.current };
  // A state from the future (clock stepped back) is kept rather than reset, to stay conservative.
  return state;
}

function estimate(state: WindowState, now: number, windowMs: number): number {
  const elapsed = Math.min(Math.max(now - state.windowStart, 0), windowMs);
  return state.previous * (1 - elapsed / windowMs) + state.current;
}

function waitFor(state: WindowState, now: number, windowMs: number, amount: number, limit: number): number {
  const resetMs = state.windowStart + windowMs - now;
  if (amount > limit) return resetMs + windowMs;
  const room = limit - state.current - amount;
  if (room >= 0 && state.previous > 0) {
    // Solve previous * (1 - (elapsed + t) / window) <= room for t within this window.
    const t = (1 - room / state.previous) * windowMs - (now - state.windowStart);
    if (t < resetMs) return Math.max(1, Math.ceil(t));
  }
  // Next window: today's count becomes "previous" and decays from the boundary.
  const next = state.current > limit - amount ? (1 - (limit - amount) / state.current) * windowMs : 0;
  return Math.max(1, Math.ceil(resetMs + next));
}

/** Decides a `consume` and returns the state to store (unchanged when refused without `force`). */
export function decide(
  stored: WindowState | undefined,
  now: number,
  request: Required<RateLimitRequest>,
): { state: WindowState; decision: RateLimitDecision } {
  const { limit, windowMs, amount, force } = request;
  const state = rollWindow(stored, now, windowMs);
  const count = estimate(state, now, windowMs);
  // A tiny epsilon absorbs float error in the weighted estimate so "exactly at the limit" fits.
  const allowed = count + amount <= limit + 1e-9;
  const next = allowed || force ? { ...state, current: state.current + amount } : state;
  const after = allowed || force ? count + amount : count;
  return {
    state: next,
    decision: {
      allowed,
      limit,
      remaining: Math.max(0, Math.floor(limit - after + 1e-9)),
      resetMs: state.windowStart + windowMs - now,
      retryAfterMs: allowed ? 0 : waitFor(state, now, windowMs, amount, limit),
      windowStart: state.windowStart,
    },
  };
}

export function peekDecision(stored: WindowState | undefined, now: number, limit: number, windowMs: number) {
  const state = rollWindow(stored, now, windowMs);
  const count = estimate(state, now, windowMs);
  const allowed = count + 1 <= limit + 1e-9;
  const decision: RateLimitDecision = {
    allowed,
    limit,
    remaining: Math.max(0, Math.floor(limit - count + 1e-9)),
    resetMs: state.windowStart + windowMs - now,
    retryAfterMs: allowed ? 0 : waitFor(state, now, windowMs, 1, limit),
    windowStart: state.windowStart,
  };
  return decision;
}

export function checkRefund(refund: RateLimitRefund): RateLimitRefund {
  const { windowMs, amount, windowStart } = refund;
  if (!(windowMs > 0) || !Number.isFinite(windowMs)) throw badRequest('windowMs must be > 0', 'windowMs');
  checkNonNegative(amount, 'amount');
  checkNonNegative(windowStart, 'windowStart');
  return refund;
}

/**
 * The stored state after a refund, or undefined when there is nothing to change: a counter kept for
 * another window length, or units taken two or more windows ago (they no longer count).
 */
export function refundState(
  stored: WindowState | undefined,
  windowMs: number,
  refund: RateLimitRefund,
): WindowState | undefined {
  if (!stored || refund.amount === 0) return undefined;
  if (stored.windowStart === refund.windowStart)
    return { ...stored, current: Math.max(0, stored.current - refund.amount) };
  // The state has rolled once since: the units are the previous window's count.
  if (stored.windowStart === refund.windowStart + windowMs)
    return { ...stored, previous: Math.max(0, stored.previous - refund.amount) };
  return undefined;
}
