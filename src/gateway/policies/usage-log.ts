/**
 * One usage-log row per call, whatever path it took (answered, refused by an inner policy, failed
 * upstream, served from the cache, cut off mid-stream), with the deployments tried, tokens, cost,
 * latency and time to first token, plus the matching metrics. Rows are queued to the UsageLogger and
 * written off the request path.
 */
import { randomUUID } from 'node:crypto';
import type { GatewayMetrics } from '../gateway-metrics.js';
import { createRequestTracker } from '../request-tracker.js';
import type { UsageLogger } from '../usage-logger.js';
import { interceptCalls, type ModelPolicy, withReport } from './model-policy.js';

export interface UsageLogOptions {
  logger: UsageLogger;
  metrics: GatewayMetrics;
  /** The route label of rows and metrics when the call's `metadata.route` does not say (default 'chat'). */
  route?: string /** Metric label of a model name: configured names as they are, anything else `unknown`. */;
  modelLabel: (name: string) => string;
}

export function usageLog(options: UsageLogOptions): ModelPolicy {
  const { logger, metrics } = options;
  return (model) =>
    interceptCalls(model, (_request, options_) => {
      const call = withReport(options_);
      const principal = call.principal;
      const track = createRequestTracker({
        requestId: call.requestId ?? randomUUID(),
        clientRequestId: call.clientRequestId ?? null,
        route: call.metadata?.route ?? options.route ?? 'chat',
        model: model.modelId,
        keyId: principal?.kind === 'virtual' ? principal.key.id : null,
        startedAt: call.report.startedAt ?? performance.now(),
        traceId: call.trace?.traceId ?? null,
        logger,
        metrics,
        modelLabel: options.modelLabel,
      });
      return {
        options: call,
        onEvent: (event) => {
          if (event.type === 'text-delta' || event.type === 'tool-call-delta') track.firstToken();
        },
        settle: ({ usage, cost, error }) => {
          for (const attempt of call.report.attempts) track.attempt(attempt);
          track.finish({
            status: error ? error.status : 200,
            error,
            usage,
            cost,
            cacheHit: call.report.cacheHit,
          });
        },
      };
    });
}
