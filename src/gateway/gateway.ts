/**
 * The gateway: resolves a model name to a router, checks the caller's key, limits and budget,
 * serves from the cache when it can, and records exactly one usage row per request. The HTTP server
 * is a thin edge over it; the same object runs in-process for tests and embedding.
 *
 * @example
 * const gateway = createGateway({ config, storage, devMode: true });
 * const outcome = await gateway.chat({ model: 'fast', messages }, { principal, requestId, route: 'chat', signal });
 */

import type { ConduitConfig } from '../config/config-schema.js';
import { createModelResolver } from '../config/resolve-model.js';
import type { ChatEvent, ChatResult, Cost, Usage } from '../core/chat-event.js';
import type { ChatRequest } from '../core/chat-request.js';
import { maxOutputTokens } from '../core/chat-request.js';
import { createStreamAccumulator } from '../core/collect-stream.js';
import { lookupPrice } from '../core/cost/pricing.js';
import { ConduitError, toConduitError } from '../core/errors.js';
import type { EmbeddingOptions, EmbeddingResult } from '../core/language-model.js';
import { replayResult } from '../core/replay-result.js';
import { registerEngineMetrics } from '../engine/register-engine-metrics.js';
import type { VirtualKey } from '../storage/ports/key-store.js';
import type { Storage } from '../storage/ports/storage.js';
import type { RedisBackedStorage } from '../storage/redis/with-redis.js';
import { createBudgetGuard } from './budget-guard.js';
import { createDeploymentHealth } from './deployment-health.js';
import type { Discovery } from './discover-models.js';
import { createGatewayMetrics, type GatewayMetrics } from './gateway-metrics.js';
import { createKeyAdmin, type KeyAdmin } from './key-admin.js';
import { createKeyAuth, type KeyAuth, type Principal } from './key-auth.js';
import { type CatalogEntry, createModelCatalog, type ModelCatalog } from './model-catalog.js';
import { createRequestTracker, type RequestTracker } from './request-tracker.js';
import { cacheKey, createResponseCache } from './response-cache.js';
import { createUsageLogger, type UsageLogger } from './usage-logger.js';

export interface RequestContext {
  principal: Principal;
  requestId: string;
  route: 'chat' | 'completions' | 'messages' | 'embeddings';
  signal: AbortSignal;
  /** 'bypass' neither reads nor writes the response cache. */
  cache?: 'default' | 'bypass';
  /** performance.now() when the request arrived. */
  startedAt?: number;
}

export interface ChatOutcome {
  /** undefined when the cache is off or bypassed. */
  cacheHit?: boolean;
  /** For `generate`. */
  result?: ChatResult;
  /** For streams: already started (its first event was produced), so errors before it were thrown. */
  events?: AsyncIterable<ChatEvent>;
}

export interface Gateway {
  readonly catalog: ModelCatalog;
  readonly metrics: GatewayMetrics;
  readonly auth: KeyAuth;
  readonly keys: KeyAdmin;
  readonly storage: Storage;
  readonly devMode: boolean;
  chat(request: ChatRequest, ctx: RequestContext, stream: boolean): Promise<ChatOutcome>;
  embed(
    model: string,
    input: string[],
    ctx: RequestContext,
    options?: EmbeddingOptions,
  ): Promise<EmbeddingResult>;
  /** Logs a request refused before it reached `chat`/`embed` (bad body, bad key), so every request has its row. */
  logRejected(info: {
    requestId: string;
    route: string;
    model: string;
    keyId: string | null;
    startedAt: number;
    error: ConduitError;
  }): void;
  /** Flushes the usage log; the storage is the caller's to close. */
  close(): Promise<void>;
}

export interface GatewayOptions {
  config: ConduitConfig;
  storage: Storage;
  devMode: boolean;
  masterKey?: string;
  discovery?: Discovery;
  env?: NodeJS.ProcessEnv;
  metrics?: GatewayMetrics;
  /** Called when usage rows cannot be written. */
  onLogError?: (error: unknown) => void;
}

export function createGateway(options: GatewayOptions): Gateway {
  const { config, storage } = options;
  const metrics = options.metrics ?? createGatewayMetrics();
  // With Redis, cooldowns are shared: one replica's failing deployment is skipped by all of them.
  const shared = (storage as Partial<RedisBackedStorage>).cooldowns;
  const health = createDeploymentHealth({
    failures: config.router.cooldown.failures,
    cooldownMs: config.router.cooldown.duration_ms,
    onCooldown: shared
      ? (id, untilMs) =>
          void shared.coolDown(id, Math.max(1, untilMs - Date.now()), 'failures').catch(() => undefined)
      : undefined,
  });
  const sync = shared
    ? setInterval(() => {
        shared
          .active()
          .then((active) => {
            for (const [id, cooldown] of active) health.coolDown(id, Date.now() + cooldown.remainingMs);
          })
          .catch(() => undefined);
      }, 1_000)
    : undefined;
  sync?.unref();
  let detachEngineMetrics: Promise<() => void> | undefined;
  const resolver = createModelResolver(config, options.env, {
    onLocal: (local) => {
      detachEngineMetrics = registerEngineMetrics(metrics.registry, local.metrics);
    },
  });
  const catalog = createModelCatalog({
    config,
    resolver,
    health,
    limiter: storage.rateLimiter,
    discovery: options.discovery,
  });
  const budgets = createBudgetGuard(storage.usage);
  const logger: UsageLogger = createUsageLogger(storage.usage, {
    flushMs: config.usage_log.flush_ms,
    batchSize: config.usage_log.batch_size,
    onError: (error) => options.onLogError?.(error),
    onFlushed: (rows) => {
      for (const row of rows)
        if (row.keyId && row.costUsd) budgets.flushed(row.keyId, row.costUsd, row.createdAt ?? 0);
    },
  });
  const auth = createKeyAuth({ keys: storage.keys, masterKey: options.masterKey, devMode: options.devMode });
  const keys = createKeyAdmin(storage.keys, auth);
  const cache = config.cache.enabled
    ? createResponseCache(storage.cache, {
        ttlMs: config.cache.ttl_ms,
        maxEntryBytes: config.cache.max_entry_bytes,
      })
    : undefined;

  /** Checks the key's model list, request/token limits and budget; returns the budget settlement. */
  const admit = async (entry: CatalogEntry, request: ChatRequest | undefined, principal: Principal) => {
    if (principal.kind !== 'virtual') return () => undefined;
    const key = principal.key;
    if (key.models.length > 0 && !key.models.includes(entry.name)) {
      throw new ConduitError(
        'permission',
        `This API key may not use the model "${entry.name}"; it may use: ${key.models.join(', ')}`,
        {
          param: 'model',
        },
      );
    }
    // Requests are counted as they arrive; tokens are only checked here and counted once known.
    if (key.rpm !== null) {
      const d = await storage.rateLimiter.consume(`key:${key.id}:rpm`, { limit: key.rpm, windowMs: 60_000 });
      if (!d.allowed) throw keyLimitError(key, `${key.rpm} requests`, d.retryAfterMs);
    }
    if (key.tpm !== null) {
      const d = await storage.rateLimiter.peek(`key:${key.id}:tpm`, { limit: key.tpm, windowMs: 60_000 });
      if (!d.allowed) throw keyLimitError(key, `${key.tpm} tokens`, d.retryAfterMs);
    }
    if (key.budgetUsd === null) return () => undefined;
    return budgets.admit(key, request ? estimateCost(entry, request) : 0);
  };

  const settleTokens = (principal: Principal, usage: Usage | undefined) => {
    if (principal.kind !== 'virtual' || principal.key.tpm === null || !usage?.totalTokens) return;
    void storage.rateLimiter
      .consume(`key:${principal.key.id}:tpm`, {
        limit: principal.key.tpm,
        windowMs: 60_000,
        amount: usage.totalTokens,
        force: true,
      })
      .catch(() => undefined);
  };

  const tracker = (ctx: RequestContext, model: string): RequestTracker =>
    createRequestTracker({
      requestId: ctx.requestId,
      route: ctx.route,
      model,
      keyId: ctx.principal.kind === 'virtual' ? ctx.principal.key.id : null,
      startedAt: ctx.startedAt ?? performance.now(),
      logger,
      metrics,
    });

  return {
    catalog,
    metrics,
    auth,
    keys,
    storage,
    devMode: options.devMode,

    async chat(request, ctx, stream) {
      const model = request.model ?? '';
      const track = tracker(ctx, model);
      let settle: (cost: number) => void = () => undefined;
      try {
        const entry = catalog.resolve(model);
        settle = await admit(entry, request, ctx.principal);
        const useCache = cache && ctx.cache !== 'bypass';
        const key = useCache ? cacheKey(entry.name, request) : undefined;
        if (useCache && key) {
          const hit = await cache.get(key);
          metrics.cache.inc({ result: hit ? 'hit' : 'miss' });
          if (hit) {
            settle(0);
            if (!stream) {
              track.finish({ status: 200, usage: hit.usage, cacheHit: true });
              return { cacheHit: true, result: { ...hit, id: `chatcmpl-${ctx.requestId}` } };
            }
            return {
              cacheHit: true,
              events: trackEvents(
                undefined,
                replayResult(hit, { id: `chatcmpl-${ctx.requestId}`, textChunkSize: 64 }),
                track,
                ctx,
                settle,
                undefined,
                true,
              ),
            };
          }
        }
        const options = { signal: ctx.signal, onAttempt: track.attempt };
        if (!stream) {
          const result = await entry.router.generate(request, options);
          settle(result.cost?.total ?? 0);
          settleTokens(ctx.principal, result.usage);
          track.finish({
            status: 200,
            usage: result.usage,
            cost: result.cost,
            cacheHit: useCache ? false : undefined,
          });
          if (useCache && key) void cache.set(key, result).catch(() => undefined);
          return { cacheHit: useCache ? false : undefined, result };
        }
        const iterator = entry.router.stream(request, options)[Symbol.asyncIterator]();
        const first = await iterator.next();
        const onComplete = (result: ChatResult | undefined, usage: Usage | undefined) => {
          settleTokens(ctx.principal, usage);
          if (useCache && key && result) void cache.set(key, result).catch(() => undefined);
        };
        return {
          cacheHit: useCache ? false : undefined,
          events: trackEvents(first, iterator, track, ctx, settle, onComplete, false),
        };
      } catch (thrown) {
        const error = toConduitError(thrown);
        settle(0);
        track.finish({ status: error.status, error });
        throw error;
      }
    },

    async embed(model, input, ctx, embedOptions) {
      const track = tracker(ctx, model);
      try {
        const entry = catalog.resolve(model);
        const settle = await admit(entry, undefined, ctx.principal);
        const result = await catalog.embed(model, input, { ...embedOptions, signal: ctx.signal });
        settle(result.costUsd ?? 0);
        const usage = {
          promptTokens: result.usage.promptTokens,
          completionTokens: 0,
          totalTokens: result.usage.totalTokens,
        };
        track.attempt({
          deployment: entry.deployments.find((d) => d.id === result.deployment) ?? entry.deployments[0]!,
          latencyMs: 0,
          retries: 0,
        });
        track.finish({
          status: 200,
          usage,
          cost: result.costUsd
            ? { input: result.costUsd, cachedInput: 0, output: 0, total: result.costUsd }
            : undefined,
        });
        return result;
      } catch (thrown) {
        const error = toConduitError(thrown);
        track.finish({ status: error.status, error });
        throw error;
      }
    },

    logRejected(info) {
      createRequestTracker({ ...info, logger, metrics }).finish({
        status: info.error.status,
        error: info.error,
      });
    },

    close: async () => {
      if (sync) clearInterval(sync);
      await logger.close();
      (await detachEngineMetrics?.catch(() => undefined))?.();
      await resolver.close();
    },
  };
}

/** 429 for a key over its own limit: not retryable by the router (the key, not the upstream, is full). */
function keyLimitError(key: VirtualKey, limit: string, retryAfterMs: number): ConduitError {
  return new ConduitError(
    'rate_limited',
    `Rate limit of ${limit} per minute reached for key ${key.prefix}…`,
    {
      retryAfterMs,
      retryable: false,
    },
  );
}

/** Worst-case cost of a request before routing: prompt (≈4 chars a token) plus max_tokens of output. */
function estimateCost(entry: CatalogEntry, request: ChatRequest): number {
  const d = entry.deployments[0];
  const price = d ? lookupPrice(d.model, d.provider) : undefined;
  if (!price) return 0;
  const promptTokens = JSON.stringify(request.messages).length / 4;
  return (promptTokens * price.input + (maxOutputTokens(request) ?? 0) * price.output) / 1e6;
}

/** Passes events through while noting first token, usage and errors; writes the row when it ends. */
async function* trackEvents(
  /** The stream's first step when the caller already pulled it (to fail before any byte is sent). */
  first: IteratorResult<ChatEvent> | undefined,
  iterator: AsyncIterator<ChatEvent> | Iterator<ChatEvent>,
  track: RequestTracker,
  ctx: RequestContext,
  settle: (cost: number) => void,
  onComplete: ((result: ChatResult | undefined, usage: Usage | undefined) => void) | undefined,
  cacheHit: boolean,
): AsyncGenerator<ChatEvent> {
  let usage: Usage | undefined;
  let cost: Cost | undefined;
  let error: ConduitError | undefined;
  // Folded as events pass, so a complete stream can be cached without keeping its events.
  const accumulator = onComplete ? createStreamAccumulator() : undefined;
  let finished = false;
  try {
    for (let step = first ?? (await iterator.next()); !step.done; step = await iterator.next()) {
      const event = step.value;
      if (event.type === 'text-delta' || event.type === 'tool-call-delta') track.firstToken();
      else if (event.type === 'usage') {
        usage = event.usage;
        cost = event.cost;
      } else if (event.type === 'error') error = event.error;
      if (accumulator && event.type !== 'error') accumulator.add(event);
      yield event;
    }
    finished = true;
  } finally {
    if (!finished) await iterator.return?.();
    if (!finished && !error)
      error = new ConduitError('cancelled', 'The client went away before the stream ended');
    settle(cacheHit ? 0 : (cost?.total ?? 0));
    track.finish({ status: error ? error.status : 200, error, usage, cost, cacheHit });
    if (onComplete) {
      const result = !error && accumulator ? accumulator.result() : undefined;
      onComplete(result ? { ...result, id: result.id || `chatcmpl-${ctx.requestId}` } : undefined, usage);
    }
  }
}
