/**
 * The router: a LanguageModel over an alias's deployments. It orders them by strategy, skips those
 * in cooldown or over their rpm/tpm, retries within a deployment (honouring Retry-After up to a
 * cap), and falls back to the next deployment on 429, 5xx, timeouts and connection errors — all
 * before the first byte. Once a stream has started, a failure ends it with an error event.
 *
 * A router is a model, so an SDK user gets fallbacks without running a server. Each deployment tried
 * is a client span under `options.trace` (its id goes upstream as `traceparent`) and an entry in
 * `options.report.attempts`, which the usage log and metrics read.
 *
 * @example
 * const fast = createRouter({ alias: 'fast', strategy: 'fallback', deployments, health });
 * const result = await fast.generate({ messages: [{ role: 'user', content: 'hi' }] });
 */
import type { ChatEvent, Usage } from '../core/chat-event.js';
import type { ChatRequest } from '../core/chat-request.js';
import { ConduitError, toConduitError } from '../core/errors.js';
import type { AttemptReport, CallOptions, LanguageModel, ModelCapabilities } from '../core/language-model.js';
import { type ActiveSpan, formatTraceparent, startSpan } from '../core/trace-context.js';
import {
  chatRequestAttributes,
  providerName,
  usageAttributes,
} from '../observability/tracing/genai-attributes.js';
import type { RateLimiter } from '../storage/ports/rate-limiter.js';
import type { Deployment } from './deployment.js';
import type { DeploymentHealth } from './deployment-health.js';
import { orderDeployments, type RoutingStrategy } from './order-deployments.js';

export interface RouterOptions {
  alias: string;
  strategy: RoutingStrategy;
  deployments: readonly Deployment[];
  health: DeploymentHealth;
  /** Attempts inside one deployment before falling back (including the first). Default 2. */
  attemptsPerDeployment?: number;
  /** A Retry-After longer than this falls back instead of waiting. Default 5000. */
  maxRetryWaitMs?: number;
  /** Enforces deployments' rpm/tpm; without it they are not enforced. */
  limiter?: RateLimiter;
  random?: () => number;
}

/** Errors another deployment may not have: its limits, its outage, its credentials. */
export function shouldFallback(error: ConduitError): boolean {
  if (error.code === 'cancelled') return false;
  return (
    error.retryable ||
    error.code === 'authentication' ||
    error.code === 'permission' ||
    error.code === 'not_found' ||
    error.code === 'budget_exceeded'
  );
}

export type RouterModel = LanguageModel & { readonly deployments: readonly Deployment[] };

export function createRouter(options: RouterOptions): RouterModel {
  const { alias, health, limiter } = options;
  const attempts = options.attemptsPerDeployment ?? 2;
  const maxWait = options.maxRetryWaitMs ?? 5_000;
  const capabilities: ModelCapabilities = { ...options.deployments[0]?.languageModel().capabilities };
  for (const d of options.deployments.slice(1)) {
    const caps = d.languageModel().capabilities ?? {};
    for (const key of Object.keys(capabilities) as (keyof ModelCapabilities)[]) {
      if (!caps[key]) capabilities[key] = false;
    }
  }

  const candidates = () => orderDeployments(options.deployments, options.strategy, health, options.random);

  /** Checks a deployment's own limits; returns an error when it is over them. */
  const admit = async (d: Deployment): Promise<ConduitError | undefined> => {
    if (!limiter) return undefined;
    if (d.rpm) {
      const decision = await limiter.consume(`deployment:${d.id}:rpm`, { limit: d.rpm, windowMs: 60_000 });
      if (!decision.allowed) return overLimit(d, 'rpm', decision.retryAfterMs);
    }
    if (d.tpm) {
      const decision = await limiter.peek(`deployment:${d.id}:tpm`, { limit: d.tpm, windowMs: 60_000 });
      if (!decision.allowed) return overLimit(d, 'tpm', decision.retryAfterMs);
    }
    return undefined;
  };
  const recordTokens = (d: Deployment, usage: Usage | undefined) => {
    if (limiter && d.tpm && usage && usage.totalTokens > 0) {
      void limiter
        .consume(`deployment:${d.id}:tpm`, {
          limit: d.tpm,
          windowMs: 60_000,
          amount: usage.totalTokens,
          force: true,
        })
        .catch(() => undefined);
    }
  };

  /**
   * The options one deployment's model is called with: its retry budget and, in a trace, its span as
   * the upstream's `traceparent`. Outside any trace nothing is propagated.
   */
  const callOptions = (opts: CallOptions, span: ActiveSpan | undefined, onRetry: () => void): CallOptions => {
    const { report: _report, ...rest } = opts;
    return {
      ...rest,
      ...(span
        ? { headers: { ...opts.headers, traceparent: formatTraceparent(span.context) }, trace: span.context }
        : {}),
      retry: opts.retry === false ? false : { maxAttempts: attempts, maxElapsedMs: maxWait, ...opts.retry },
      onRetry: (info) => {
        onRetry();
        opts.onRetry?.(info);
      },
    };
  };

  /**
   * A client span for one deployment, in the GenAI conventions — only inside a trace. A trace without
   * a recorder (a client's traceparent, tracing off) still gets a span id to propagate upstream.
   */
  const attemptSpan = (d: Deployment, request: ChatRequest, opts: CallOptions): ActiveSpan | undefined => {
    if (!opts.trace) return undefined;
    if (!opts.trace.recorder) return startSpan(opts.trace, '');
    const attributes = chatRequestAttributes(request);
    attributes['gen_ai.request.model'] = d.model;
    attributes['gen_ai.provider.name'] = providerName(d.provider);
    attributes['conduit.deployment'] = d.id;
    return opts.trace.recorder.startSpan(`chat ${d.model}`, opts.trace, { kind: 'client', attributes });
  };

  /** Records one attempt in the call's report and ends its span. */
  const settleAttempt = (
    opts: CallOptions,
    span: ActiveSpan | undefined,
    attempt: Omit<AttemptReport, 'deployment' | 'provider' | 'model'> & { d: Deployment; usage?: Usage },
  ) => {
    const { d, usage, ...rest } = attempt;
    opts.report?.attempts.push({ deployment: d.id, provider: d.provider, model: d.model, ...rest });
    if (!span) return;
    if (attempt.retries) span.setAttribute('conduit.retries', attempt.retries);
    if (usage) span.setAttributes(usageAttributes(usage));
    if (attempt.error) span.recordError(attempt.error);
    span.end();
  };

  const exhausted = (errors: ConduitError[]): ConduitError => {
    if (errors.length === 1) return errors[0]!;
    const waits = options.deployments.map((d) => health.openUntil(d.id) - Date.now()).filter((w) => w > 0);
    const last = errors.at(-1);
    const summary = errors.map((e) => e.message).join('; ');
    if (!last) {
      return new ConduitError('overloaded', `All deployments of "${alias}" are cooling down after failures`, {
        retryAfterMs: waits.length ? Math.min(...waits) : 1_000,
      });
    }
    return new ConduitError(last.code, `All deployments of "${alias}" failed: ${summary}`, {
      provider: last.provider,
      upstreamStatus: last.upstreamStatus,
      retryAfterMs: last.retryAfterMs ?? (waits.length ? Math.min(...waits) : undefined),
      cause: last,
    });
  };

  return {
    id: `router:${alias}`,
    provider: 'router',
    modelId: alias,
    capabilities,

    deployments: options.deployments,

    async generate(request, opts: CallOptions = {}) {
      const errors: ConduitError[] = [];
      for (const d of candidates()) {
        if (!health.tryAcquire(d.id)) continue;
        const started = performance.now();
        let retries = 0;
        const span = attemptSpan(d, request, opts);
        try {
          const limited = await admit(d);
          if (limited) {
            errors.push(limited);
            settleAttempt(opts, span, { d, latencyMs: 0, error: limited, retries });
            continue;
          }
          const result = await d.languageModel().generate(
            request,
            callOptions(opts, span, () => retries++),
          );
          const latencyMs = performance.now() - started;
          health.recordSuccess(d.id, latencyMs);
          recordTokens(d, result.usage);
          span?.setAttributes({
            'gen_ai.response.model': result.model,
            'gen_ai.response.finish_reasons': [result.finishReason],
          });
          settleAttempt(opts, span, { d, latencyMs, retries, usage: result.usage });
          result.providerMetadata = { ...result.providerMetadata, deployment: d.id };
          return result;
        } catch (thrown) {
          const error = toConduitError(thrown, d.provider);
          health.recordFailure(d.id, error);
          settleAttempt(opts, span, { d, latencyMs: performance.now() - started, error, retries });
          if (!shouldFallback(error) || opts.signal?.aborted) throw error;
          errors.push(error);
        } finally {
          health.release(d.id);
        }
      }
      throw exhausted(errors);
    },

    async *stream(request, opts: CallOptions = {}) {
      const errors: ConduitError[] = [];
      for (const d of candidates()) {
        if (!health.tryAcquire(d.id)) continue;
        const started = performance.now();
        let retries = 0;
        const span = attemptSpan(d, request, opts);
        let released = false;
        const release = () => {
          if (!released) health.release(d.id);
          released = true;
        };
        let iterator: AsyncIterator<ChatEvent> | undefined;
        let first: IteratorResult<ChatEvent>;
        try {
          const limited = await admit(d);
          if (limited) {
            errors.push(limited);
            settleAttempt(opts, span, { d, latencyMs: 0, error: limited, retries });
            release();
            continue;
          }
          iterator = d
            .languageModel()
            .stream(
              request,
              callOptions(opts, span, () => retries++),
            )
            [Symbol.asyncIterator]();
          first = await iterator.next();
        } catch (thrown) {
          release();
          const error = toConduitError(thrown, d.provider);
          health.recordFailure(d.id, error);
          settleAttempt(opts, span, { d, latencyMs: performance.now() - started, error, retries });
          if (!shouldFallback(error) || opts.signal?.aborted) throw error;
          errors.push(error);
          continue;
        }
        // The stream has started: from here on this deployment owns the answer.
        let failed: ConduitError | undefined;
        let usage: Usage | undefined;
        const finishReasons: string[] = [];
        try {
          for (let step = first; !step.done; step = await iterator.next()) {
            const event = step.value;
            if (event.type === 'error') failed = event.error;
            else if (event.type === 'usage') usage = event.usage;
            else if (event.type === 'finish') finishReasons.push(event.reason);
            else if (event.type === 'start') span?.setAttribute('gen_ai.response.model', event.model);
            yield event;
          }
        } finally {
          // Reached on normal end, on an error event, and when the consumer stops early.
          await iterator.return?.();
          release();
          const latencyMs = performance.now() - started;
          if (failed) health.recordFailure(d.id, failed);
          else health.recordSuccess(d.id, latencyMs);
          recordTokens(d, usage);
          if (finishReasons.length) span?.setAttribute('gen_ai.response.finish_reasons', finishReasons);
          settleAttempt(opts, span, { d, latencyMs, retries, usage, ...(failed ? { error: failed } : {}) });
        }
        return;
      }
      throw exhausted(errors);
    },
  };
}

function overLimit(d: Deployment, limit: 'rpm' | 'tpm', retryAfterMs: number): ConduitError {
  return new ConduitError('rate_limited', `Deployment ${d.id} (${d.name}) is over its ${limit} limit`, {
    provider: d.provider,
    retryAfterMs,
  });
}
