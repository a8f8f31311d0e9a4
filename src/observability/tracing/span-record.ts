/**
 * A finished span as the tracer hands it to its sinks. It is already the storage `SpanInput` shape,
 * so the TraceStore takes it as-is; only the OTLP exporter converts it (off the request path).
 */
import type { AttributeValue, SpanKind } from '../../core/trace-context.js';
import type { SpanStatus } from '../../storage/ports/trace-store.js';

export interface SpanEventRecord {
  name: string;
  /** Milliseconds since the epoch, fractions allowed. */
  time: number;
  attributes?: Record<string, AttributeValue>;
}

export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: SpanKind;
  /** Milliseconds since the epoch, fractions allowed. */
  startTime: number;
  endTime: number;
  status: SpanStatus;
  statusMessage: string | null;
  /** Never holds `undefined`: unset attributes are left out. */
  attributes: Record<string, AttributeValue>;
  events: SpanEventRecord[];
}

/** Who produced the spans (OpenTelemetry resource attributes such as `service.name`). */
export interface SpanResource {
  serviceName: string;
}

/** Something that ships finished spans elsewhere, such as an OTLP collector. */
export interface SpanExporterLike {
  /** Resolves once the batch is accepted; rejects when it is not (the tracer retries once). */
  export(spans: readonly SpanRecord[], resource: SpanResource): Promise<void>;
  shutdown(): Promise<void>;
}
