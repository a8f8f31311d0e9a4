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
  root: Pick<Span, 'spanId' | 'name' | 'kind' | 'status'> | null;
}

export interface TraceStore {
  /** Re-sending a span (same trace and span id) replaces it, so exporters may retry. */
  appendSpans(spans: SpanInput[]): Promise<void>;
  /** Spans ordered by start time; empty when the trace is unknown. */
  getTrace(traceId: string): Promise<Span[]>;
  /** Traces whose first span starts in [since, until), newest first; default limit 50. */
  listTraces(query?: { since?: number; until?: number; limit?: number }): Promise<TraceSummary[]>;
}
