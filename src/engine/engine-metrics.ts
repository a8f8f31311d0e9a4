/**
 * Serving metrics of the local engine, modelled on vLLM's: time to first token, inter-token latency,
 * queue time, end-to-end latency, prompt and generation tokens, running and waiting requests — per
 * model. `snapshot()` is a plain object (for JSON, tests and the console); `registerEngineMetrics`
 * exposes the same numbers on a prom-client registry for the gateway's `/metrics`.
 *
 * @example
 * const metrics = createEngineMetrics();
 * const local = createLocal({ metrics });
 * registerEngineMetrics(registry, metrics); // conduit_engine_time_to_first_token_seconds{model="…"} …
 * metrics.snapshot().models['tiny']?.timeToFirstToken.p50;
 */

/** Seconds. vLLM's buckets, extended downwards: small local models answer in milliseconds. */
export const LATENCY_BUCKETS = {
  timeToFirstToken: [
    0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80,
  ],
  interTokenLatency: [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5,
  ],
  queueTime: [0.001, 0.01, 0.05, 0.1, 0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 60],
  e2eLatency: [0.01, 0.05, 0.1, 0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120],
} as const;

export type LatencyMetric = keyof typeof LATENCY_BUCKETS;

export interface HistogramSnapshot {
  count: number;
  /** Seconds. */
  sum: number;
  /** Cumulative counts per upper bound (seconds), as Prometheus reports them. */
  buckets: { le: number; count: number }[];
  /** Estimated from the buckets (upper bound of the bucket holding the quantile); null when empty. */
  p50: number | null;
  p95: number | null;
}

export interface ModelMetricsSnapshot {
  running: number;
  waiting: number;
  requests: number;
  /** Finished requests by finish reason; `error` and `cancelled` for the rest. */
  finished: Record<string, number>;
  /** Requests refused with `overloaded`. */
  rejected: number;
  promptTokens: number;
  /** Prompt tokens served from a sequence's KV cache (prefix reuse). */
  cachedPromptTokens: number;
  generationTokens: number;
  timeToFirstToken: HistogramSnapshot;
  interTokenLatency: HistogramSnapshot;
  queueTime: HistogramSnapshot;
  e2eLatency: HistogramSnapshot;
}

export interface EngineMetricsSnapshot {
  models: Record<string, ModelMetricsSnapshot>;
}

export type MetricEvent =
  | { type: 'latency'; model: string; metric: LatencyMetric; seconds: number }
  | { type: 'tokens'; model: string; prompt: number; cached: number; generation: number }
  | { type: 'finished'; model: string; reason: string }
  | { type: 'rejected'; model: string };

export interface EngineMetrics {
  observe(model: string, metric: LatencyMetric, seconds: number): void;
  addTokens(model: string, tokens: { prompt: number; cached: number; generation: number }): void;
  finished(model: string, reason: string): void;
  rejected(model: string): void;
  setLoad(model: string, load: { running: number; waiting: number }): void;
  snapshot(): EngineMetricsSnapshot;
  /** Every observation as it happens (for exporters); returns an unsubscribe function. */
  subscribe(listener: (event: MetricEvent) => void): () => void;
}

interface Histogram {
  bounds: readonly number[];
  counts: number[];
  count: number;
  sum: number;
}

interface ModelState {
  running: number;
  waiting: number;
  finished: Record<string, number>;
  rejected: number;
  promptTokens: number;
  cachedPromptTokens: number;
  generationTokens: number;
  histograms: Record<LatencyMetric, Histogram>;
}

export function createEngineMetrics(): EngineMetrics {
  const models = new Map<string, ModelState>();
  const listeners = new Set<(event: MetricEvent) => void>();
  const state = (model: string): ModelState => {
    let s = models.get(model);
    if (!s) {
      const histogram = (bounds: readonly number[]): Histogram => ({
        bounds,
        counts: new Array<number>(bounds.length + 1).fill(0),
        count: 0,
        sum: 0,
      });
      const histograms: Record<LatencyMetric, Histogram> = {
        timeToFirstToken: histogram(LATENCY_BUCKETS.timeToFirstToken),
        interTokenLatency: histogram(LATENCY_BUCKETS.interTokenLatency),
        queueTime: histogram(LATENCY_BUCKETS.queueTime),
        e2eLatency: histogram(LATENCY_BUCKETS.e2eLatency),
      };
      s = {
        running: 0,
        waiting: 0,
        finished: {},
        rejected: 0,
        promptTokens: 0,
        cachedPromptTokens: 0,
        generationTokens: 0,
        histograms,
      };
      models.set(model, s);
    }
    return s;
  };
  const emit = (event: MetricEvent) => {
    for (const listener of listeners) listener(event);
  };

  return {
    observe(model, metric, seconds) {
      const h = state(model).histograms[metric];
      let i = 0;
      while (i < h.bounds.length && seconds > h.bounds[i]!) i++;
      h.counts[i]!++;
      h.count++;
      h.sum += seconds;
      emit({ type: 'latency', model, metric, seconds });
    },
    addTokens(model, tokens) {
      const s = state(model);
      s.promptTokens += tokens.prompt;
      s.cachedPromptTokens += tokens.cached;
      s.generationTokens += tokens.generation;
      emit({ type: 'tokens', model, ...tokens });
    },
    finished(model, reason) {
      const s = state(model);
      s.finished[reason] = (s.finished[reason] ?? 0) + 1;
      emit({ type: 'finished', model, reason });
    },
    rejected(model) {
      state(model).rejected++;
      emit({ type: 'rejected', model });
    },
    setLoad(model, load) {
      const s = state(model);
      s.running = load.running;
      s.waiting = load.waiting;
    },
    snapshot() {
      const out: EngineMetricsSnapshot = { models: {} };
      for (const [model, s] of models) {
        const requests = Object.values(s.finished).reduce((a, b) => a + b, 0);
        out.models[model] = {
          running: s.running,
          waiting: s.waiting,
          requests,
          finished: { ...s.finished },
          rejected: s.rejected,
          promptTokens: s.promptTokens,
          cachedPromptTokens: s.cachedPromptTokens,
          generationTokens: s.generationTokens,
          timeToFirstToken: histogramSnapshot(s.histograms.timeToFirstToken),
          interTokenLatency: histogramSnapshot(s.histograms.interTokenLatency),
          queueTime: histogramSnapshot(s.histograms.queueTime),
          e2eLatency: histogramSnapshot(s.histograms.e2eLatency),
        };
      }
      return out;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function histogramSnapshot(h: Histogram): HistogramSnapshot {
  let cumulative = 0;
  const buckets = h.bounds.map((le, i) => {
    cumulative += h.counts[i]!;
    return { le, count: cumulative };
  });
  const quantile = (q: number): number | null => {
    if (h.count === 0) return null;
    const rank = q * h.count;
    for (const bucket of buckets) if (bucket.count >= rank) return bucket.le;
    return Number.POSITIVE_INFINITY;
  };
  return { count: h.count, sum: h.sum, buckets, p50: quantile(0.5), p95: quantile(0.95) };
}
