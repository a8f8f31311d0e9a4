/**
 * In-memory surroundings for policy tests: a virtual key, a usage logger over the memory usage log,
 * and a rate limiter and a response cache whose fire-and-forget writes (token counts, cache entries,
 * made off the call's path) a test can await instead of guessing how long they take.
 */
import type { Principal, PrincipalKey } from '../../../core/language-model.js';
import { createMemoryCache } from '../../../storage/memory/memory-cache.js';
import { createMemoryRateLimiter } from '../../../storage/memory/memory-rate-limiter.js';
import { createMemoryUsageLog } from '../../../storage/memory/memory-usage-log.js';
import type { RateLimiter } from '../../../storage/ports/rate-limiter.js';
import type { UsageLog, UsageRecord } from '../../../storage/ports/usage-log.js';
import { createGatewayMetrics, type GatewayMetrics } from '../../gateway-metrics.js';
import { createResponseCache, type ResponseCache } from '../../response-cache.js';
import { createUsageLogger, type UsageLogger } from '../../usage-logger.js';

/** A virtual key with no limits unless `overrides` sets some. */
export function virtualKey(overrides: Partial<PrincipalKey> = {}): Principal & { kind: 'virtual' } {
  return {
    kind: 'virtual',
    key: {
      id: 'key-1',
      prefix: 'sk-cdt-test',
      models: [],
      rpm: null,
      tpm: null,
      budgetUsd: null,
      budgetPeriod: 'total',
      ...overrides,
    },
  };
}

export interface UsageFixture {
  log: UsageLog;
  logger: UsageLogger;
  metrics: GatewayMetrics;
  modelLabel: (name: string) => string;
  /** Flushes the logger and returns every row written. */
  rows(): Promise<UsageRecord[]>;
}

const KNOWN_MODELS = new Set(['fast', 'smart', 'embed', 'fake-model', 'fake-embed']);

export function createUsageFixture(): UsageFixture {
  const log = createMemoryUsageLog(Date.now);
  // A long timer: rows reach the log when the test flushes, not on a clock.
  const logger = createUsageLogger(log, { flushMs: 60_000 });
  return {
    log,
    logger,
    metrics: createGatewayMetrics({ defaultMetrics: false }),
    // The configured names of these tests; anything else is request text and labelled `unknown`.
    modelLabel: (name: string) => (KNOWN_MODELS.has(name) ? name : 'unknown'),
    async rows() {
      await logger.flush();
      return (await log.query({ limit: 1000 })).rows;
    },
  };
}

/**
 * A minute-window limiter frozen in time (no window rolls over mid-test); `settled()` waits for the
 * token counts and refunds made off the call's path.
 */
export function createTrackedLimiter(): RateLimiter & { settled(): Promise<void> } {
  const inner = createMemoryRateLimiter(() => 1_700_000_010_000);
  const pending: Promise<unknown>[] = [];
  return {
    consume(key, request) {
      const decision = inner.consume(key, request);
      pending.push(decision);
      return decision;
    },
    peek: (key, request) => inner.peek(key, request),
    refund(key, refund) {
      const done = inner.refund(key, refund);
      pending.push(done);
      return done;
    },
    reset: (key) => inner.reset(key),
    async settled() {
      await Promise.allSettled(pending);
    },
  };
}

/** A response cache over the memory cache; `written()` waits for every write so far, returning their number. */
export function createTrackedResponseCache(
  maxEntryBytes = 100_000,
): ResponseCache & { written(): Promise<number> } {
  const inner = createResponseCache(createMemoryCache(Date.now), { ttlMs: 60_000, maxEntryBytes });
  const writes: Promise<void>[] = [];
  return {
    get: (key) => inner.get(key),
    set(key, result) {
      const write = inner.set(key, result);
      writes.push(write);
      return write;
    },
    async written() {
      await Promise.allSettled(writes);
      return writes.length;
    },
  };
}
