/**
 * `openConduit()`: the one place that wires configuration, storage, providers, the local engine,
 * policies and applications together. The gateway, every CLI command, eval and RAG use it, so a model
 * name means the same thing — and a call is limited, budgeted, cached, logged and traced the same
 * way — on every surface.
 *
 * @example
 * const conduit = await openConduit();                   // ./conduit.yaml, $CONDUIT_HOME
 * const result = await conduit.models.get('fast').generate({ messages: [{ role: 'user', content: 'hi' }] });
 * await conduit.close();                                 // flushes usage rows and spans
 */
import type { ConduitConfig } from '../config/config-schema.js';
import { loadConfig } from '../config/load-config.js';
import { conduitHome, defaultStorageUrl } from '../core/conduit-home.js';
import type { ConduitError } from '../core/errors.js';
import { registerSecrets } from '../core/redact-secrets.js';
import type { SpanKind } from '../core/trace-context.js';
import type { LocalProvider } from '../engine/local-provider.js';
import { registerEngineMetrics } from '../engine/register-engine-metrics.js';
import type { ModelFactories } from '../eval/runner/suite-targets.js';
import { createBudgetGuard } from '../gateway/budget-guard.js';
import { createGatewayMetrics, detachedMetrics, type GatewayMetrics } from '../gateway/gateway-metrics.js';
import { createKeyAdmin, type KeyAdmin } from '../gateway/key-admin.js';
import { createKeyAuth, type KeyAuth } from '../gateway/key-auth.js';
import { budget, estimateWithConfiguredPrices } from '../gateway/policies/budget.js';
import { embeddingPolicy } from '../gateway/policies/embedding-policy.js';
import { keyLimits } from '../gateway/policies/key-limits.js';
import type { ModelPolicy } from '../gateway/policies/model-policy.js';
import { responseCache } from '../gateway/policies/response-cache.js';
import { trace } from '../gateway/policies/trace.js';
import { usageLog } from '../gateway/policies/usage-log.js';
import { createRequestTracker, type TrackedRequest, UNKNOWN_MODEL } from '../gateway/request-tracker.js';
import { createResponseCache } from '../gateway/response-cache.js';
import { createUsageLogger, type UsageLogger } from '../gateway/usage-logger.js';
import { createOtlpExporter, otlpConfigFromEnv } from '../observability/tracing/otlp-exporter.js';
import { createTracer, type Tracer } from '../observability/tracing/tracer.js';
import type { RagService, RagServiceOptions } from '../rag/service/rag-service.js';
import { openStorage } from '../storage/open-storage.js';
import type { EvalStore } from '../storage/ports/eval-store.js';
import type { Storage } from '../storage/ports/storage.js';
import { deploymentHealthFor } from './deployment-health-for.js';
import { type Discovery, discoverModels } from './discover-models.js';
import { evalFactories } from './eval-factories.js';
import { createModelRegistry, type ModelRegistry } from './model-registry.js';
import { createProviderPool } from './provider-pool.js';

export interface OpenConduitOptions {
  /** A parsed configuration, or the path of conduit.yaml; default ./conduit.yaml, then $CONDUIT_HOME's. */
  config?: ConduitConfig | string;
  /** Overrides CONDUIT_HOME (database, model store, caches). */
  home?: string;
  /** Where ./conduit.yaml is looked for; default the working directory. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** A storage URL, or an open storage this runtime uses but does not close. */
  storage?: string | Storage;
  /**
   * Who uses the runtime. 'gateway': request spans are server spans and clients reach only offered
   * providers by `provider/model`. 'cli' and 'library' (default): any provider.
   */
  surface?: 'gateway' | 'cli' | 'library';
  /** With no aliases configured, offer the providers keyed in the environment and local servers. */
  discover?: boolean | Discovery;
  /** The gateway's master key; without one, development mode (any caller). */
  masterKey?: string;
  /**
   * Take over the shared parts of a runtime being replaced (config reload): its storage, metrics,
   * tracer and loaded local models. The old runtime's `close()` then only flushes its own usage rows.
   */
  inherit?: Conduit;
  /** Called when usage rows or spans cannot be written. */
  onError?: (what: 'usage' | 'traces', error: unknown) => void;
}

export interface Conduit {
  readonly config: ConduitConfig;
  readonly configPath?: string;
  readonly env: NodeJS.ProcessEnv;
  /** CONDUIT_HOME for this runtime. */
  readonly home: string;
  /** Model names → models (aliases are routers), wrapped in the policies below. */
  readonly models: ModelRegistry;
  readonly storage: Storage;
  readonly storageUrl: string;
  /** Spans of every call; the read side is `storage.traces`. */
  readonly traces: Tracer;
  readonly metrics: GatewayMetrics;
  readonly usage: UsageLogger;
  readonly auth: KeyAuth;
  readonly keys: KeyAdmin;
  /** True without a master key: any caller is accepted (loopback only). */
  readonly devMode: boolean;
  readonly discovery?: Discovery;
  /** The in-process engine, once a local model was used. */
  local(): LocalProvider | undefined;
  /** RAG over this runtime's document store and models (loaded on first use: loaders are large). */
  rag(options?: Omit<RagServiceOptions, 'store' | 'languageModel' | 'embeddingModel'>): Promise<RagService>;
  /** What `conduit eval` runs on: the eval store and model factories over this runtime. */
  readonly evals: { store: EvalStore; factories: ModelFactories };
  /** Records a request refused before it reached a model (bad body, bad key), so it has its usage row. */
  logRejected(info: RejectedRequest): void;
  /** Flushes usage rows and spans, unloads local models, closes what this runtime opened. */
  close(): Promise<void>;
  /** Gives the shared parts to a runtime that inherits them (see OpenConduitOptions.inherit). */
  handOver(): void;
}

/** A request refused before it reached a model, and why. */
export interface RejectedRequest extends TrackedRequest {
  error: ConduitError;
}

/** Storages that openConduit opened (and so closes), as opposed to ones a caller passed in. */
const OPENED_HERE = new WeakSet<Storage>();

export async function openConduit(options: OpenConduitOptions = {}): Promise<Conduit> {
  const env = options.home
    ? { ...(options.env ?? process.env), CONDUIT_HOME: options.home }
    : (options.env ?? process.env);
  const loaded =
    typeof options.config === 'object'
      ? { config: options.config, path: undefined }
      : await loadConfig({ path: options.config, env, cwd: options.cwd });
  const { config } = loaded;
  const inherited = options.inherit;
  if (inherited && options.storage === undefined) options = { ...options, storage: inherited.storage };
  const storageUrl =
    typeof options.storage === 'string'
      ? options.storage
      : options.storage
        ? (inherited?.storageUrl ?? options.storage.kind)
        : (config.storage ?? defaultStorageUrl(env));
  const storage =
    typeof options.storage === 'object'
      ? options.storage
      : await openStorage(storageUrl, config.redis ? { redis: config.redis } : {});
  if (typeof options.storage !== 'object') OPENED_HERE.add(storage);
  // A storage opened by a runtime is closed by it, or by the runtime that inherits it.
  const ownsStorage =
    OPENED_HERE.has(storage) && (typeof options.storage !== 'object' || storage === inherited?.storage);

  // Closed in this order: usage rows and spans are flushed before the storage they go to. The
  // shared ones are skipped once handed over to a successor.
  const closers: (() => Promise<void> | void)[] = [];
  const shared: (() => Promise<void> | void)[] = [];
  const closeStorage = ownsStorage ? [() => storage.close()] : [];
  let detachEngineMetrics: Promise<() => void> | undefined;
  try {
    // Only a gateway serves /metrics; elsewhere recording them would cost start-up time for nothing.
    const metrics =
      inherited?.metrics ?? (options.surface === 'gateway' ? createGatewayMetrics() : detachedMetrics());
    const traces =
      inherited?.traces ??
      createTracer({
        store: config.observability.traces.enabled ? storage.traces : undefined,
        exporter: await exporterFor(config, env),
        captureContent: config.observability.capture_content,
        // A batch of spans is one SQLite transaction on the event loop: 1,024 spans (≈10 ms) balance
        // the cost per span (fewer index pages touched) against the stall it causes.
        flushMs: 500,
        batchSize: 1_024,
        onError: (error) => options.onError?.('traces', error),
      });
    if (!inherited) shared.push(() => traces.close());
    // Budgets are reserved in the storage's ledger (SQL, even with Redis): shared by every process.
    const budgets = createBudgetGuard(storage.budgets, {
      onError: (error) =>
        options.onError?.(
          'usage',
          new Error(`Budget settlement lost (the usage log still has the cost): ${(error as Error).message}`),
        ),
    });
    closers.push(() => budgets.flush());
    const usage = createUsageLogger(storage.usage, {
      flushMs: config.usage_log.flush_ms,
      batchSize: config.usage_log.batch_size,
      onError: (error) => options.onError?.('usage', error),
      onDrop: ({ maxQueue }) =>
        options.onError?.(
          'usage',
          new Error(
            `Usage log queue is full (${maxQueue} rows): dropping new rows until the store catches up`,
          ),
        ),
    });
    closers.push(() => usage.close());
    const { health, stop: stopCooldownSync } = deploymentHealthFor(config, storage);
    closers.push(stopCooldownSync);
    const providers = createProviderPool({
      config,
      env,
      local: inherited?.local(),
      onLocal: (local) => {
        detachEngineMetrics = registerEngineMetrics(metrics.registry, local.metrics);
      },
    });
    shared.push(async () => (await detachEngineMetrics?.catch(() => undefined))?.());
    shared.push(() => providers.close());
    const discovery =
      typeof options.discover === 'object'
        ? options.discover
        : options.discover && Object.keys(config.models).length === 0
          ? await discoverModels(env)
          : undefined;
    const surface = options.surface ?? 'library';
    const kind: SpanKind = surface === 'gateway' ? 'server' : 'internal';
    const modelLabel = modelLabels(config, discovery);
    registerSecrets([
      options.masterKey,
      ...Object.values(config.providers).map((p) => p.api_key),
      ...Object.values(config.models).flatMap((a) => a.deployments.map((d) => d.api_key)),
    ]);
    const policies: ModelPolicy[] = [
      trace({ recorder: traces, kind }),
      usageLog({ logger: usage, metrics, modelLabel, route: surface === 'gateway' ? 'chat' : surface }),
      keyLimits({ limiter: storage.rateLimiter }),
      budget({ guard: budgets, estimate: estimateWithConfiguredPrices(config.models) }),
    ];
    if (config.cache.enabled) {
      const cache = createResponseCache(storage.cache, {
        ttlMs: config.cache.ttl_ms,
        maxEntryBytes: config.cache.max_entry_bytes,
      });
      policies.push(
        responseCache({ cache, onLookup: (hit) => metrics.cache.inc({ result: hit ? 'hit' : 'miss' }) }),
      );
    }
    const models = createModelRegistry({
      config,
      providers,
      health,
      limiter: storage.rateLimiter,
      discovery,
      offered:
        surface === 'gateway'
          ? new Set([...Object.keys(config.providers), ...(discovery?.providers ?? [])])
          : undefined,
      policies,
      embeddingPolicy: embeddingPolicy({
        logger: usage,
        metrics,
        modelLabel,
        limiter: storage.rateLimiter,
        guard: budgets,
        recorder: traces,
      }),
    });
    const masterKey = options.masterKey;
    const auth = createKeyAuth({ keys: storage.keys, masterKey, devMode: !masterKey });
    const keys = createKeyAdmin(storage.keys, auth);

    let closed = false;
    let handedOver = false;
    inherited?.handOver();
    return {
      config,
      configPath: loaded.path,
      env,
      home: conduitHome(env),
      models,
      storage,
      storageUrl,
      traces,
      metrics,
      usage,
      auth,
      keys,
      devMode: !masterKey,
      discovery,
      local: () => providers.local(),
      async rag(ragOptions = {}) {
        const { createRagService } = await import('../rag/service/rag-service.js');
        return createRagService({
          ...ragOptions,
          store: storage.documents,
          languageModel: (spec) => models.get(spec),
          embeddingModel: (spec) => models.embedding(spec),
        });
      },
      evals: { store: storage.evals, factories: evalFactories({ models, storage, env }) },
      logRejected(info) {
        createRequestTracker({ ...info, logger: usage, metrics, modelLabel }).finish({
          status: info.error.status,
          error: info.error,
        });
      },
      handOver() {
        handedOver = true;
      },
      async close() {
        if (closed) return;
        closed = true;
        for (const close of closers) await close();
        if (!handedOver) for (const close of [...shared, ...closeStorage]) await close();
      },
    };
  } catch (error) {
    // A failed successor leaves what it inherited to its predecessor.
    const owned = inherited ? closers : [...closers, ...shared, ...closeStorage];
    for (const close of owned) await Promise.resolve(close()).catch(() => undefined);
    throw error;
  }
}

/**
 * Metric labels of model names: configured aliases and discovered models keep their name; any other
 * name a client sends (`provider/anything`, a typo, 256 KB of junk) is `unknown`, so the label set
 * is bounded by the configuration.
 */
function modelLabels(config: ConduitConfig, discovery: Discovery | undefined): (name: string) => string {
  const known = new Set([...Object.keys(config.models), ...(discovery?.models ?? []).map((m) => m.name)]);
  return (name) => (known.has(name) ? name : UNKNOWN_MODEL);
}

async function exporterFor(config: ConduitConfig, env: NodeJS.ProcessEnv) {
  const otlp = otlpConfigFromEnv(env, config.observability.otlp);
  return otlp ? createOtlpExporter(otlp) : undefined;
}
