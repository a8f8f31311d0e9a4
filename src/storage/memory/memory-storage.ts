/**
 * Storage kept in process memory: nothing survives `close()`. For tests, examples and SDK use
 * where persistence is not wanted (`memory:`).
 */
import type { Storage, StorageOptions } from '../ports/storage.js';
import { createMemoryBudgetLedger } from './memory-budget-ledger.js';
import { createMemoryCache } from './memory-cache.js';
import { createMemoryDocumentStore } from './memory-document-store.js';
import { createMemoryEvalStore } from './memory-eval-store.js';
import { createMemoryKeyStore } from './memory-key-store.js';
import { createMemoryRateLimiter } from './memory-rate-limiter.js';
import { createMemoryTraceStore } from './memory-trace-store.js';
import { createMemoryUsageLog } from './memory-usage-log.js';

export function createMemoryStorage(options: StorageOptions = {}): Storage {
  const now = options.now ?? Date.now;
  const usage = createMemoryUsageLog(now);
  return {
    kind: 'memory',
    keys: createMemoryKeyStore(now),
    usage,
    cache: createMemoryCache(now),
    rateLimiter: createMemoryRateLimiter(now),
    budgets: createMemoryBudgetLedger(now, usage),
    documents: createMemoryDocumentStore(now),
    evals: createMemoryEvalStore(now),
    traces: createMemoryTraceStore(),
    async close() {},
  };
}
