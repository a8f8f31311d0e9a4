/**
 * Public surface of `conduit-llm/storage`: the ports, `openStorage`, the adapters and key-secret helpers.
 * Importing it loads the Postgres and Redis drivers; `openStorage` alone loads them only when used.
 * Contract suites live in `./contract/` and are imported by adapter tests directly, so the published
 * entry point never pulls in `node:test`.
 */

export { generateKeySecret, hashKeySecret, KEY_SECRET_PREFIX, keyDisplayPrefix } from './key-secret.js';
export { createMemoryStorage } from './memory/memory-storage.js';
export { type OpenStorageOptions, openStorage, sqlitePathFromUrl } from './open-storage.js';
export type {
  BudgetDecision,
  BudgetHold,
  BudgetLedger,
  BudgetReservation,
} from './ports/budget-ledger.js';
export type { Cache, CacheValue } from './ports/cache.js';
export type {
  ChunkHit,
  ChunkInput,
  Collection,
  CreateCollectionInput,
  DocumentInput,
  DocumentStore,
  DocumentSummary,
  SearchOptions,
  StoredChunk,
  StoredDocument,
} from './ports/document-store.js';
export type {
  CreateEvalRunInput,
  EvalResult,
  EvalResultInput,
  EvalRun,
  EvalRunStatus,
  EvalStore,
} from './ports/eval-store.js';
export type {
  BudgetPeriod,
  CreateKeyInput,
  KeyInfo,
  KeySettings,
  KeyStore,
  VirtualKey,
} from './ports/key-store.js';
export { type FilterScalar, type MetadataFilter, metadataFilterSchema } from './ports/metadata-filter.js';
export type {
  RateLimitDecision,
  RateLimiter,
  RateLimitRefund,
  RateLimitRequest,
} from './ports/rate-limiter.js';
export type { Storage, StorageOptions } from './ports/storage.js';
export {
  type Span,
  type SpanEvent,
  type SpanInput,
  type SpanStatus,
  TRACE_LIST_ATTRIBUTES,
  type TraceListQuery,
  type TraceRoot,
  type TraceStore,
  type TraceSummary,
} from './ports/trace-store.js';
export {
  USAGE_STATUS_CLASSES,
  type UsageGroupBy,
  type UsageLog,
  type UsagePage,
  type UsageQuery,
  type UsageRecord,
  type UsageRecordInput,
  type UsageStatusClass,
  type UsageStatusFilter,
  type UsageSummaryQuery,
  type UsageSummaryRow,
} from './ports/usage-log.js';
export { createPgliteStorage, type PgliteStorageOptions } from './postgres/pglite-storage.js';
export { POSTGRES_MIGRATIONS } from './postgres/postgres-migrations.js';
export {
  createPostgresStorage,
  type PostgresStorage,
  type PostgresStorageOptions,
} from './postgres/postgres-storage.js';
export type { VectorSearchChoice } from './postgres/postgres-vector-support.js';
export type { PgliteLike, SqlClient, SqlQueryable, SqlResult } from './postgres/sql-client.js';
export { createRedisCache, type RedisCacheOptions } from './redis/redis-cache.js';
export { connectRedis, type RedisConnection, type RedisConnectionOptions } from './redis/redis-connection.js';
export {
  type Cooldown,
  createRedisCooldowns,
  type DeploymentCooldowns,
  type RedisCooldownsOptions,
} from './redis/redis-cooldowns.js';
export { createRedisRateLimiter, type RedisRateLimiterOptions } from './redis/redis-rate-limiter.js';
export { type RedisBackedStorage, type WithRedisOptions, withRedis } from './redis/with-redis.js';
export { orderSpanTree, type SpanTreeRow } from './shared/span-tree.js';
export { MIGRATIONS, type Migration } from './sqlite/migrations.js';
export {
  createSqliteStorage,
  type SqliteStorage,
  type SqliteStorageOptions,
} from './sqlite/sqlite-storage.js';
