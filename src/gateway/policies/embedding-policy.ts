/**
 * The gateway's policies for embedding models, in one wrapper (embeddings have no stream, so the
 * chat policies' split buys nothing here): a span, the key's model list and rpm, its budget (settled
 * with the actual cost), and one usage-log row per call.
 */
import { randomUUID } from 'node:crypto';
import { toConduitError } from '../../core/errors.js';
import type { EmbeddingModel, EmbeddingOptions } from '../../core/language-model.js';
import type { SpanRecorder } from '../../core/trace-context.js';
import type { RateLimiter } from '../../storage/ports/rate-limiter.js';
import type { BudgetGuard } from '../budget-guard.js';
import type { GatewayMetrics } from '../gateway-metrics.js';
import { createRequestTracker } from '../request-tracker.js';
import type { UsageLogger } from '../usage-logger.js';
import { admitKeyRate, checkModelAccess } from './key-limits.js';
import { withReport } from './model-policy.js';

export interface EmbeddingPolicyOptions {
  logger: UsageLogger;
  metrics: GatewayMetrics;
  limiter: RateLimiter;
  guard?: BudgetGuard;
  recorder?: SpanRecorder /** Metric label of a model name: configured names as they are, anything else `unknown`. */;
  modelLabel: (name: string) => string;
}

export function embeddingPolicy(options: EmbeddingPolicyOptions): (model: EmbeddingModel) => EmbeddingModel {
  return (model) => ({
    id: model.id,
    provider: model.provider,
    modelId: model.modelId,
    dimensions: model.dimensions,
    maxBatchSize: model.maxBatchSize,
    async embed(texts, callOptions: EmbeddingOptions = {}) {
      const call = withReport(callOptions);
      const principal = call.principal;
      const key = principal?.kind === 'virtual' ? principal.key : undefined;
      const span = options.recorder?.startSpan(`embeddings ${model.modelId}`, call.trace, {
        kind: 'internal',
        attributes: {
          'gen_ai.operation.name': 'embeddings',
          'gen_ai.request.model': model.modelId,
          'conduit.model': model.modelId,
          'conduit.request_id': call.requestId,
          'conduit.key_id': key?.id,
        },
      });
      const track = createRequestTracker({
        requestId: call.requestId ?? randomUUID(),
        clientRequestId: call.clientRequestId ?? null,
        route: call.metadata?.route ?? 'embeddings',
        model: model.modelId,
        keyId: key?.id ?? null,
        startedAt: call.report.startedAt ?? performance.now(),
        traceId: span?.context.traceId ?? call.trace?.traceId ?? null,
        logger: options.logger,
        metrics: options.metrics,
        modelLabel: options.modelLabel,
      });
      let settle: (usd: number) => void = () => undefined;
      let settleTokens: (tokens: number) => void = () => undefined;
      try {
        if (key) {
          checkModelAccess(key, model.modelId);
          // Inputs are all the tokens an embedding uses: reserve them (≈4 characters a token) in
          // the key's tpm window, then settle with the count the provider reports.
          const estimate = texts.reduce((sum, text) => sum + text.length, 0) / 4;
          settleTokens = await admitKeyRate(options.limiter, key, estimate);
          if (key.budgetUsd !== null && options.guard) settle = await options.guard.admit(key, 0);
        }
        const result = await model.embed(texts, span ? { ...call, trace: span.context } : call);
        const costUsd = result.costUsd ?? 0;
        settle(costUsd);
        settleTokens(result.usage.totalTokens);
        for (const attempt of call.report.attempts) track.attempt(attempt);
        const usage = {
          promptTokens: result.usage.promptTokens,
          completionTokens: 0,
          totalTokens: result.usage.totalTokens,
        };
        track.finish({
          status: 200,
          usage,
          cost: costUsd ? { input: costUsd, cachedInput: 0, output: 0, total: costUsd } : undefined,
        });
        span?.setAttributes({ 'gen_ai.usage.input_tokens': usage.promptTokens, 'conduit.cost_usd': costUsd });
        return result;
      } catch (thrown) {
        const error = toConduitError(thrown);
        settle(0);
        settleTokens(0);
        for (const attempt of call.report.attempts) track.attempt(attempt);
        track.finish({ status: error.status, error });
        span?.recordError(error);
        throw error;
      } finally {
        span?.end();
      }
    },
  });
}
