/**
 * Converts our span records into the `ReadableSpan` shape the official OTLP exporters serialize, so
 * the wire encoding (JSON or protobuf) stays theirs. The type is taken from the exporter's own
 * `export()` signature, which keeps this file in step with the installed version and needs no
 * runtime import of the SDK.
 */
import type { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { SpanKind } from '../../core/trace-context.js';
import type { SpanStatus } from '../../storage/ports/trace-store.js';
import type { SpanRecord, SpanResource } from './span-record.js';

export type ReadableSpan = Parameters<OTLPTraceExporter['export']>[0][number];
type OtelAttributes = ReadableSpan['attributes'];
type OtelResource = ReadableSpan['resource'];
type HrTime = ReadableSpan['startTime'];

// The values of @opentelemetry/api's SpanKind, SpanStatusCode and TraceFlags enums.
const KIND = { internal: 0, server: 1, client: 2 } as const satisfies Record<SpanKind, ReadableSpan['kind']>;
const STATUS = { unset: 0, ok: 1, error: 2 } as const satisfies Record<
  SpanStatus,
  ReadableSpan['status']['code']
>;
const SAMPLED = 1;

export const INSTRUMENTATION_SCOPE = { name: 'conduit' } as const;

/** Milliseconds since the epoch (fractions allowed) as OpenTelemetry's [seconds, nanoseconds]. */
export function toHrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.round((ms - seconds * 1000) * 1e6);
  return nanos >= 1e9 ? [seconds + 1, nanos - 1e9] : [seconds, nanos];
}

function toAttributes(attributes: SpanRecord['attributes'] | undefined): OtelAttributes {
  const out: OtelAttributes = {};
  if (attributes === undefined) return out;
  for (const key in attributes) {
    const value = attributes[key];
    // Our attribute arrays are readonly; the SDK's type wants mutable ones.
    out[key] = typeof value === 'object' ? value.slice() : value;
  }
  return out;
}

/** A resource without the SDK: the exporters read `attributes` and `schemaUrl` only. */
export function toResource(attributes: OtelAttributes): OtelResource {
  const resource: OtelResource = {
    attributes,
    merge: (other) => (other ? toResource({ ...attributes, ...other.attributes }) : resource),
    getRawAttributes: () => Object.entries(attributes),
  };
  return resource;
}

/**
 * Converts one batch. All spans share one resource object: the exporters group spans by resource
 * identity, so the batch becomes a single `resourceSpans` entry.
 */
export function toReadableSpans(spans: readonly SpanRecord[], resource: SpanResource): ReadableSpan[] {
  const otelResource = toResource({ 'service.name': resource.serviceName });
  return spans.map((span) => toReadableSpan(span, otelResource));
}

export function toReadableSpan(span: SpanRecord, resource: OtelResource): ReadableSpan {
  const context = { traceId: span.traceId, spanId: span.spanId, traceFlags: SAMPLED };
  return {
    name: span.name,
    kind: KIND[span.kind],
    spanContext: () => context,
    parentSpanContext: span.parentSpanId
      ? { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: SAMPLED }
      : undefined,
    startTime: toHrTime(span.startTime),
    endTime: toHrTime(span.endTime),
    duration: toHrTime(Math.max(0, span.endTime - span.startTime)),
    status:
      span.statusMessage === null
        ? { code: STATUS[span.status] }
        : { code: STATUS[span.status], message: span.statusMessage },
    attributes: toAttributes(span.attributes),
    links: [],
    events: span.events.map((event) => ({
      name: event.name,
      time: toHrTime(event.time),
      attributes: toAttributes(event.attributes),
    })),
    ended: true,
    resource,
    instrumentationScope: INSTRUMENTATION_SCOPE,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}
