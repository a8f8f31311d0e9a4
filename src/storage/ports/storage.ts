/**
 * The bundle of ports one storage backend provides. `openStorage(url)` returns one; the gateway, RAG,
 * eval and the console take it (or single ports) as values and never know which backend it is.
 */
import type { BudgetLedger } from './budget-ledger.js';
import type { Cache } from './cache.js';
import type { DeploymentCooldowns } from './cooldowns.js';
import type { DocumentStore } from './document-store.js';
import type { EvalStore } from './eval-store.js';
import type { KeyStore } from './key-store.js';
import type { RateLimiter } from './rate-limiter.js';
import type { TraceStore } from './trace-store.js';
import type { UsageLog } from './usage-log.js';

export interface Storage {
  /** Which adapter serves this storage: 'memory', 'sqlite', later 'postgres'. */
  readonly kind: string;
  readonly keys: KeyStore;
  readonly usage: UsageLog;
  readonly cache: Cache;
  readonly rateLimiter: RateLimiter;
  /** Budgets: always in the primary store (SQL), also when Redis serves the rate limits. */
  readonly budgets: BudgetLedger;
  readonly documents: DocumentStore;
  readonly evals: EvalStore;
  readonly traces: TraceStore;
  /** Cooldowns shared across replicas (Redis-backed storage only). */
  readonly cooldowns?: DeploymentCooldowns;
  /** Flushes and releases the backend; safe to call twice. */
  close(): Promise<void>;
}

export interface StorageOptions {
  /** Clock in ms since the epoch; tests inject one to step time. */
  now?: () => number;
}
