/**
 * In-memory `RateLimiter`. JavaScript runs each call to completion, so read-decide-write is atomic
 * within the process without locks; it does not share limits between processes.
 */
import type { RateLimiter } from '../ports/rate-limiter.js';
import { checkNonEmpty } from '../shared/checks.js';
import {
  checkRateLimitRequest,
  checkRefund,
  decide,
  peekDecision,
  refundState,
  type WindowState,
} from '../shared/sliding-window.js';

export function createMemoryRateLimiter(now: () => number): RateLimiter {
  const states = new Map<string, WindowState & { windowMs: number }>();
  const load = (key: string, windowMs: number) => {
    const state = states.get(key);
    return state && state.windowMs === windowMs ? state : undefined;
  };

  return {
    async consume(key, request) {
      checkNonEmpty(key, 'key');
      const checked = checkRateLimitRequest(request);
      const { state, decision } = decide(load(key, checked.windowMs), now(), checked);
      states.set(key, { ...state, windowMs: checked.windowMs });
      return decision;
    },
    async peek(key, request) {
      const { limit, windowMs } = checkRateLimitRequest(request);
      return peekDecision(load(key, windowMs), now(), limit, windowMs);
    },
    async refund(key, refund) {
      const { windowMs } = checkRefund(refund);
      const next = refundState(load(key, windowMs), windowMs, refund);
      if (next) states.set(key, { ...next, windowMs });
    },
    async reset(key) {
      states.delete(key);
    },
  };
}
