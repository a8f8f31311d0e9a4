/**
 * The gateway's Prometheus metrics (prom-client): requests by status, latency and time-to-first-token
 * histograms, tokens, cost, cache hits, upstream errors per deployment, requests in flight.
 */
import { createRequire } from 'node:module';
import type { Counter, Gauge, Histogram, Registry } from 'prom-client';

// prom-client (CommonJS) is required on first use: a CLI command that records no metrics does not
// pay for loading it.
const require = createRequire(import.meta.url);
const promClient = (): typeof import('prom-client') => require('prom-client');

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export interface GatewayMetrics {
  readonly registry: Registry;
  requests: Counter<'route' | 'model' | 'status'>;
  latency: Histogram<'route' | 'model'>;
  ttft: Histogram<'model'>;
  tokens: Counter<'model' | 'type'>;
  cost: Counter<'model'>;
  cache: Counter<'result'>;
  upstreamErrors: Counter<'deployment' | 'code'>;
  retries: Counter<'deployment'>;
  fallbacks: Counter<'model'>;
  inFlight: Gauge<'route'>;
}

/**
 * Metrics that record nothing, for processes that serve no `/metrics` (CLI commands, scripts): the
 * same calls cost nothing and load nothing. Their registry is empty.
 */
export function detachedMetrics(): GatewayMetrics {
  const metric = { inc: () => undefined, dec: () => undefined, observe: () => undefined };
  let registry: Registry | undefined;
  return {
    get registry() {
      registry ??= new (promClient().Registry)();
      return registry;
    },
    requests: metric as unknown as GatewayMetrics['requests'],
    latency: metric as unknown as GatewayMetrics['latency'],
    ttft: metric as unknown as GatewayMetrics['ttft'],
    tokens: metric as unknown as GatewayMetrics['tokens'],
    cost: metric as unknown as GatewayMetrics['cost'],
    cache: metric as unknown as GatewayMetrics['cache'],
    upstreamErrors: metric as unknown as GatewayMetrics['upstreamErrors'],
    retries: metric as unknown as GatewayMetrics['retries'],
    fallbacks: metric as unknown as GatewayMetrics['fallbacks'],
    inFlight: metric as unknown as GatewayMetrics['inFlight'],
  };
}

export function createGatewayMetrics(options: { defaultMetrics?: boolean } = {}): GatewayMetrics {
  const { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } = promClient();
  const registry = new Registry();
  if (options.defaultMetrics !== false)
    collectDefaultMetrics({ register: registry, prefix: 'conduit_process_' });
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: 'conduit_requests_total',
      help: 'Requests answered, by route, model name asked for and HTTP status',
      labelNames: ['route', 'model', 'status'],
      registers,
    }),
    latency: new Histogram({
      name: 'conduit_request_duration_seconds',
      help: 'Time from request to the last byte of the response',
      labelNames: ['route', 'model'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    ttft: new Histogram({
      name: 'conduit_time_to_first_token_seconds',
      help: 'Time from request to the first token sent to the client (streams)',
      labelNames: ['model'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    tokens: new Counter({
      name: 'conduit_tokens_total',
      help: 'Tokens by model and type (prompt, completion, cached)',
      labelNames: ['model', 'type'],
      registers,
    }),
    cost: new Counter({
      name: 'conduit_cost_usd_total',
      help: 'Cost in USD',
      labelNames: ['model'],
      registers,
    }),
    cache: new Counter({
      name: 'conduit_cache_requests_total',
      help: 'Response cache lookups by result (hit, miss)',
      labelNames: ['result'],
      registers,
    }),
    upstreamErrors: new Counter({
      name: 'conduit_upstream_errors_total',
      help: 'Failed upstream attempts by deployment and error code',
      labelNames: ['deployment', 'code'],
      registers,
    }),
    retries: new Counter({
      name: 'conduit_upstream_retries_total',
      help: 'Retries inside a deployment',
      labelNames: ['deployment'],
      registers,
    }),
    fallbacks: new Counter({
      name: 'conduit_fallbacks_total',
      help: 'Requests served by a deployment other than the first tried',
      labelNames: ['model'],
      registers,
    }),
    inFlight: new Gauge({
      name: 'conduit_requests_in_flight',
      help: 'Requests being answered',
      labelNames: ['route'],
      registers,
    }),
  };
}
