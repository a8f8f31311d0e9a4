/**
 * Port for trace spans (OpenTelemetry-shaped, GenAI conventions in `attributes`), kept locally so the
 * console can show a request's tree without an external collector.
 */

export type SpanStatus = 'unset' | 'ok' | 'error';

export interface SpanEvent {
  name: string;
  time: number;
  attributes?: Record<string, unknown>;
}

export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  /** OpenTelemetry span kind: internal, server, client, producer, consumer. */
  kind: string;
  /** Milliseconds since the epoch; fractions allowed. */
  startTime: number;
  endTime: number | null;
  status: SpanStatus;
  statusMessage: string | null;
  attributes: Record<string, unknown>;
  events: SpanEvent[];
}

export type SpanInput = Pick<Span, 'traceId' | 'spanId' | 'name' | 'startTime'> &
  Partial<Omit<Span, 'traceId' | 'spanId' | 'name' | 'startTime'>>;

/**
 * Root-span attributes a trace list shows (model, key, cost, tokens, outcome), copied into
 * `TraceSummary.root.attributes`. Only these, not the whole set: a root may carry captured prompts
 * and completions (opt-in content capture), which a list of a thousand traces must not drag along.
 * `getTrace` returns every attribute.
 */
export const TRACE_LIST_ATTRIBUTES = [
  'conduit.model',
  'gen_ai.request.model',
  'gen_ai.response.model',
  'conduit.key_id',
  'conduit.request_id',
  'conduit.cost_usd',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'http.response.status_code',
  'error.type',
] as const;

export interface TraceListQuery {
  /** Inclusive lower bound on the trace's first span start. */
  since?: number;
  /** Exclusive upper bound on the trace's first span start. */
  until?: number;
  /** Default 50, at most 1000. */
  limit?: number;
  /**
   * The root span's `conduit.model` (the alias the client asked for) or, for spans from elsewhere,
   * its `gen_ai.request.model`: either one equal to this matches.
   */
  model?: string;
  /** The root span's `conduit.key_id`. */
  keyId?: string;
  /** The root span's status: `'error'` is status error; `'ok'` is anything else (ok or unset). */
  status?: 'ok' | 'error';
}

export interface TraceSummary {
  traceId: string;
  startTime: number;
  endTime: number | null;
  durationMs: number | null;
  spanCount: number;
  errorCount: number;
  /**
   * The earliest span whose parent is not stored (a true root, or the local root of a trace that
   * started in another service).
   */
  root: TraceRoot | null;
}

export type TraceRoot = Pick<Span, 'spanId' | 'name' | 'kind' | 'status'> & {
  /** The root's attributes named in `TRACE_LIST_ATTRIBUTES`, those it has. */
  attributes: Record<string, unknown>;
};

export interface TraceStore {
  /** Re-sending a span (same trace and span id) replaces it, so exporters may retry. */
  appendSpans(spans: SpanInput[]): Promise<void>;
  /** Spans ordered by start time; empty when the trace is unknown. */
  getTrace(traceId: string): Promise<Span[]>;
  /**
   * Traces whose first span starts in [since, until) and whose root matches the filters, newest
   * first. A trace without a root (every parent stored: a cycle) matches no filter.
   */
  listTraces(query?: TraceListQuery): Promise<TraceSummary[]>;
}
