/**
 * Tracing as core sees it: the current span's ids and a recorder that starts child spans, carried in
 * `CallOptions.trace`. Core only defines the interface (like OpenTelemetry's API package), so a
 * tool loop, a retrieval or a router attempt can record spans without importing a tracer;
 * `observability/` implements the recorder (spans to the TraceStore and to OTLP).
 *
 * @example
 * const span = startSpan(options.trace, 'execute_tool weather', { kind: 'internal' });
 * try { … } catch (error) { span.recordError(error); throw error; } finally { span.end(); }
 */
import { randomFillSync } from 'node:crypto';

export type AttributeValue = string | number | boolean | readonly string[] | readonly number[];
export type Attributes = Record<string, AttributeValue | undefined>;
export type SpanKind = 'internal' | 'server' | 'client';

export interface TraceContext {
  /** 32 lowercase hex characters. */
  traceId: string;
  /** 16 lowercase hex characters: the span that children started under this context hang from. */
  spanId: string;
  /** W3C sampled flag; unsampled contexts propagate but record nothing. Default true. */
  sampled?: boolean;
  /** Records spans; absent when tracing is off (ids still propagate to upstreams). */
  recorder?: SpanRecorder;
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** Milliseconds since the epoch (fractions allowed); default now. */
  startTime?: number;
  /** Use this span id instead of a fresh one (a span whose id was already propagated). */
  spanId?: string;
}

export interface ActiveSpan {
  /** The context for this span's children (same trace, this span as parent). */
  readonly context: TraceContext;
  setAttribute(key: string, value: AttributeValue | undefined): void;
  setAttributes(attributes: Attributes): void;
  addEvent(name: string, attributes?: Attributes): void;
  /** Marks the span failed with the error's message and code, and adds an `exception` event. */
  recordError(error: unknown): void;
  /** Ends the span; later calls are ignored. */
  end(endTime?: number): void;
}

export interface SpanRecorder {
  /** Starts a span under `parent` (a new trace when absent). */
  startSpan(name: string, parent: TraceContext | undefined, options?: SpanOptions): ActiveSpan;
  /** Whether message content (prompts, completions, tool arguments) may be recorded. */
  readonly captureContent: boolean;
}

// Ids are sliced from a pooled CSPRNG buffer: a native call per id (`randomBytes(8)`) costs
// microseconds on small machines, and every request makes several. Still unguessable, as W3C asks.
const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

function randomHex(bytes: number): string {
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  // An all-zero id is invalid in W3C Trace Context; 2^-64 odds, but cheap to rule out.
  return /^0+$/.test(hex) ? randomHex(bytes) : hex;
}

/**
 * A fresh W3C trace id: the time in seconds (4 bytes, as AWS X-Ray's ids do) then 12 random bytes.
 * Traces begun in the same second sort together, so stores indexed by trace id append rather than
 * insert at random; 96 random bits keep ids unguessable and unique, and W3C asks randomness of the
 * rightmost 7 bytes only.
 */
export function newTraceId(): string {
  return (
    Math.floor(Date.now() / 1000)
      .toString(16)
      .padStart(8, '0')
      .slice(-8) + randomHex(12)
  );
}

/** A fresh W3C span id (8 random bytes as hex). */
export function newSpanId(): string {
  return randomHex(8);
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** Parses a W3C `traceparent` header; undefined when absent, malformed or all-zero. */
export function parseTraceparent(header: string | undefined): TraceContext | undefined {
  if (!header || header.length > 128) return undefined;
  const match = TRACEPARENT.exec(header.trim().toLowerCase());
  if (!match) return undefined;
  const [, traceId, spanId, flags] = match as unknown as [string, string, string, string];
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

/** The `traceparent` header value for a context. */
export function formatTraceparent(context: Pick<TraceContext, 'traceId' | 'spanId' | 'sampled'>): string {
  return `00-${context.traceId}-${context.spanId}-${context.sampled === false ? '00' : '01'}`;
}

/** A span that records nothing but still gives children a context, so ids propagate. */
export function noopSpan(context: TraceContext): ActiveSpan {
  return {
    context,
    setAttribute: () => undefined,
    setAttributes: () => undefined,
    addEvent: () => undefined,
    recordError: () => undefined,
    end: () => undefined,
  };
}

/**
 * Starts a child span of `parent` with its recorder, or a no-op span when there is no recorder or
 * the context is not sampled. Without a parent at all, returns a no-op span in a fresh context.
 */
export function startSpan(parent: TraceContext | undefined, name: string, options?: SpanOptions): ActiveSpan {
  if (parent?.recorder && parent.sampled !== false) return parent.recorder.startSpan(name, parent, options);
  return noopSpan({
    traceId: parent?.traceId ?? newTraceId(),
    spanId: options?.spanId ?? newSpanId(),
    sampled: parent?.sampled,
  });
}
