/**
 * Everything the gateway records about one request, gathered as it happens and written once at the
 * end: exactly one usage-log row and the matching metrics, whatever path the request took.
 */
import type { Cost, Usage } from '../core/chat-event.js';
import type { ConduitError } from '../core/errors.js';
import type { AttemptReport } from '../core/language-model.js';
import type { UsageRecordInput } from '../storage/ports/usage-log.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { UsageLogger } from './usage-logger.js';

/** The metric label of every model name that is not in the configuration. */
export const UNKNOWN_MODEL = 'unknown';

export interface RequestTracker {
  attempt(attempt: AttemptReport): void;
  firstToken(): void;
  /** Records the outcome; only the first call counts. Returns the row written. */
  finish(outcome: {
    status: number;
    error?: ConduitError;
    usage?: Usage;
    cost?: Cost;
    cacheHit?: boolean;
  }): UsageRecordInput | undefined;
}

/** What a usage row knows about a request before it runs. */
export interface TrackedRequest {
  requestId: string;
  /** The client's `x-request-id`, if it sent one (not unique). */
  clientRequestId?: string | null;
  route: string;
  model: string;
  keyId: string | null;
  startedAt: number;
  traceId?: string | null;
}

export function createRequestTracker(
  options: TrackedRequest & {
    logger: UsageLogger;
    metrics: GatewayMetrics;
    /**
     * The metric label of `model`: a name from configuration, or `unknown`. Metric labels never carry
     * request text, or one client could grow /metrics without bound; the usage row keeps the name.
     */
    modelLabel: (name: string) => string;
    metadata?: Record<string, unknown>;
  },
): RequestTracker {
  const { metrics, route } = options;
  const model = options.modelLabel(options.model);
  // A deployment of a name that is not configured is request text too.
  const deploymentLabel = (name: string) => (model === UNKNOWN_MODEL ? UNKNOWN_MODEL : name);
  let ttftMs: number | null = null;
  let deployment: string | null = null;
  let provider: string | null = null;
  let retries = 0;
  let tried = 0;
  let done = false;
  metrics.inFlight.inc({ route });
  return {
    attempt(a) {
      tried++;
      retries += a.retries;
      deployment = a.deployment;
      provider = a.provider;
      if (a.retries) metrics.retries.inc({ deployment: deploymentLabel(a.deployment) }, a.retries);
      if (a.error)
        metrics.upstreamErrors.inc({ deployment: deploymentLabel(a.deployment), code: a.error.code });
      else if (tried > 1) metrics.fallbacks.inc({ model });
    },
    firstToken() {
      if (ttftMs !== null) return;
      ttftMs = performance.now() - options.startedAt;
      metrics.ttft.observe({ model }, ttftMs / 1000);
    },
    finish({ status, error, usage, cost, cacheHit }) {
      if (done) return undefined;
      done = true;
      const latencyMs = performance.now() - options.startedAt;
      metrics.inFlight.dec({ route });
      metrics.requests.inc({ route, model, status: String(status) });
      metrics.latency.observe({ route, model }, latencyMs / 1000);
      if (usage) {
        metrics.tokens.inc({ model, type: 'prompt' }, usage.promptTokens);
        metrics.tokens.inc({ model, type: 'completion' }, usage.completionTokens);
        if (usage.cachedTokens) metrics.tokens.inc({ model, type: 'cached' }, usage.cachedTokens);
      }
      const costUsd = cacheHit ? 0 : (cost?.total ?? 0);
      if (costUsd > 0) metrics.cost.inc({ model }, costUsd);
      const row: UsageRecordInput = {
        requestId: options.requestId,
        clientRequestId: options.clientRequestId ?? null,
        traceId: options.traceId ?? null,
        keyId: options.keyId,
        alias: options.model,
        deployment,
        provider,
        status,
        errorCode: error?.code ?? null,
        promptTokens: usage?.promptTokens ?? 0,
        completionTokens: usage?.completionTokens ?? 0,
        cachedTokens: usage?.cachedTokens ?? 0,
        costUsd,
        latencyMs: Math.round(latencyMs),
        ttftMs: ttftMs === null ? null : Math.round(ttftMs),
        cacheHit: cacheHit ?? false,
        retries: retries + Math.max(0, tried - 1),
        createdAt: Date.now(),
        metadata: { route, ...options.metadata },
      };
      options.logger.log(row);
      return row;
    },
  };
}
