/**
 * The engine's metrics on a prom-client registry, for the gateway's `/metrics`: vLLM's series under
 * a `conduit_engine_` prefix, labelled by model.
 *
 * @example
 * const registry = new Registry();
 * const detach = await registerEngineMetrics(registry, local.metrics);
 * await registry.metrics(); // conduit_engine_time_to_first_token_seconds_bucket{le="0.1",model="qwen"} 3 …
 */
import type { Registry } from 'prom-client';
import {
  type EngineMetrics,
  LATENCY_BUCKETS,
  type LatencyMetric,
  type ModelMetricsSnapshot,
} from './engine-metrics.js';

/**
 * Registers the metrics, vLLM-style names under `prefix`.
 * Histograms and counters follow observations made after this call; the running/waiting gauges read
 * the live state at scrape time. Returns a function that detaches them.
 */
export async function registerEngineMetrics(
  registry: Registry,
  metrics: EngineMetrics,
  prefix = 'conduit_engine_',
): Promise<() => void> {
  const prom = await import('prom-client');
  const labelNames = ['model'] as const;
  const registers = [registry];
  const histograms = {
    timeToFirstToken: new prom.Histogram({
      name: `${prefix}time_to_first_token_seconds`,
      help: 'Time from request arrival to the first generated token (queue time included).',
      labelNames,
      buckets: [...LATENCY_BUCKETS.timeToFirstToken],
      registers,
    }),
    interTokenLatency: new prom.Histogram({
      name: `${prefix}inter_token_latency_seconds`,
      help: 'Time between two consecutive generated tokens of one request.',
      labelNames,
      buckets: [...LATENCY_BUCKETS.interTokenLatency],
      registers,
    }),
    queueTime: new prom.Histogram({
      name: `${prefix}request_queue_time_seconds`,
      help: 'Time a request waited for a free sequence.',
      labelNames,
      buckets: [...LATENCY_BUCKETS.queueTime],
      registers,
    }),
    e2eLatency: new prom.Histogram({
      name: `${prefix}e2e_request_latency_seconds`,
      help: 'Time from request arrival to its last token.',
      labelNames,
      buckets: [...LATENCY_BUCKETS.e2eLatency],
      registers,
    }),
  } satisfies Record<LatencyMetric, unknown>;
  const promptTokens = new prom.Counter({
    name: `${prefix}prompt_tokens_total`,
    help: 'Prompt tokens processed (cached ones included).',
    labelNames,
    registers,
  });
  const cachedTokens = new prom.Counter({
    name: `${prefix}prompt_tokens_cached_total`,
    help: 'Prompt tokens reused from a sequence KV cache.',
    labelNames,
    registers,
  });
  const generationTokens = new prom.Counter({
    name: `${prefix}generation_tokens_total`,
    help: 'Tokens generated.',
    labelNames,
    registers,
  });
  const finished = new prom.Counter({
    name: `${prefix}request_success_total`,
    help: 'Finished requests by finish reason (error and cancelled included).',
    labelNames: ['model', 'finished_reason'],
    registers,
  });
  const rejected = new prom.Counter({
    name: `${prefix}request_rejected_total`,
    help: 'Requests refused because the queue was full.',
    labelNames,
    registers,
  });
  const gauge = (name: string, help: string, pick: (m: ModelMetricsSnapshot) => number) =>
    new prom.Gauge({
      name: `${prefix}${name}`,
      help,
      labelNames,
      registers,
      collect() {
        for (const [model, m] of Object.entries(metrics.snapshot().models)) this.set({ model }, pick(m));
      },
    });
  gauge('num_requests_running', 'Requests generating in a sequence.', (m) => m.running);
  gauge('num_requests_waiting', 'Requests waiting for a free sequence.', (m) => m.waiting);

  return metrics.subscribe((event) => {
    if (event.type === 'latency') histograms[event.metric].observe({ model: event.model }, event.seconds);
    else if (event.type === 'tokens') {
      promptTokens.inc({ model: event.model }, event.prompt);
      cachedTokens.inc({ model: event.model }, event.cached);
      generationTokens.inc({ model: event.model }, event.generation);
    } else if (event.type === 'finished') finished.inc({ model: event.model, finished_reason: event.reason });
    else rejected.inc({ model: event.model });
  });
}
