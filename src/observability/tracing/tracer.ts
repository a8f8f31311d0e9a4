/**
 * The tracer behind core's `SpanRecorder`: put it in `TraceContext.recorder` and every `startSpan`
 * below records into the local TraceStore (the console's trace view) and/or an OTLP exporter.
 *
 * `startSpan` runs on every gateway request, so it only builds a plain record; OpenTelemetry SDK
 * objects are made per batch, in the exporter, off the request path. Each sink has its own bounded
 * batcher, so a slow collector never delays the local store, and the other way round.
 *
 * @example
 * const tracer = createTracer({ store: storage.traces, exporter: createOtlpExporter(otlp) });
 * const trace = { traceId: newTraceId(), spanId: newSpanId(), recorder: tracer };
 * const span = startSpan(trace, 'chat gpt-4o-mini', { kind: 'client' });
 * span.end();
 * await tracer.close();
 */
import type { ActiveSpan, SpanOptions, SpanRecorder, TraceContext } from '../../core/trace-context.js';
import { newSpanId, newTraceId, noopSpan } from '../../core/trace-context.js';
import type { TraceStore } from '../../storage/ports/trace-store.js';
import { definedAttributes, RecordingSpan, type SpanSink } from './recording-span.js';
import { createSpanBatcher, type SpanBatcher } from './span-batcher.js';
import type { SpanExporterLike, SpanRecord, SpanResource } from './span-record.js';

export type TracerSinkName = 'store' | 'exporter';

export interface TracerOptions {
  /** Local span storage (the console reads it). */
  store?: Pick<TraceStore, 'appendSpans'>;
  /** Remote span export, e.g. `createOtlpExporter(...)`. */
  exporter?: SpanExporterLike;
  /** Whether prompts and completions may be recorded on spans. Default false. */
  captureContent?: boolean;
  /** Longest wait before queued spans are written. Default 500 ms. */
  flushMs?: number;
  /** Spans per write (one `appendSpans` / export call). Default 512. */
  batchSize?: number;
  /** Spans held per sink while writes are slow or failing; beyond it new spans are dropped. Default 10 000. */
  maxQueue?: number;
  /** A batch was given up (its one retry failed too). */
  onError?: (error: unknown, context: { sink: TracerSinkName; spans: number }) => void;
  /** Spans started being dropped; called once per burst with the sink's running total. */
  onDrop?: (context: { sink: TracerSinkName; dropped: number }) => void;
  /** `service.name` of exported spans. Default 'conduit'. */
  serviceName?: string;
  /** Clock in milliseconds since the epoch (fractions allowed); for tests. */
  now?: () => number;
}

export interface Tracer extends SpanRecorder {
  readonly serviceName: string;
  /** Writes every span ended so far to every sink. Never rejects (failures go to `onError`). */
  flush(): Promise<void>;
  /** Flushes, retries failed batches once, shuts the exporter down; later spans are dropped. */
  close(): Promise<void>;
  /** Span writes lost so far, summed over sinks. */
  readonly dropped: number;
  /** Spans waiting to be written, summed over sinks. */
  readonly pending: number;
}

const defaultNow = () => performance.timeOrigin + performance.now();

export function createTracer(options: TracerOptions = {}): Tracer {
  const serviceName = options.serviceName ?? 'conduit';
  const resource: SpanResource = { serviceName };
  const now = options.now ?? defaultNow;
  const batcher = (sink: TracerSinkName, write: (spans: SpanRecord[]) => Promise<void>): SpanBatcher =>
    createSpanBatcher({
      write,
      flushMs: options.flushMs ?? 500,
      batchSize: options.batchSize ?? 512,
      maxQueue: options.maxQueue ?? 10_000,
      onError: (error, spans) => options.onError?.(error, { sink, spans }),
      onDrop: (dropped) => options.onDrop?.({ sink, dropped }),
    });

  const { store, exporter } = options;
  const batchers: SpanBatcher[] = [];
  if (store) batchers.push(batcher('store', (spans) => store.appendSpans(spans)));
  if (exporter) batchers.push(batcher('exporter', (spans) => exporter.export(spans, resource)));

  const sink: SpanSink = {
    now,
    finish(record) {
      for (let i = 0; i < batchers.length; i++) batchers[i]!.add(record);
    },
  };

  const tracer: Tracer = {
    captureContent: options.captureContent ?? false,
    serviceName,
    startSpan(name: string, parent: TraceContext | undefined, spanOptions?: SpanOptions): ActiveSpan {
      const traceId = parent?.traceId ?? newTraceId();
      const spanId = spanOptions?.spanId ?? newSpanId();
      if (parent?.sampled === false) return noopSpan({ traceId, spanId, sampled: false });
      const startTime = spanOptions?.startTime ?? now();
      const record: SpanRecord = {
        traceId,
        spanId,
        parentSpanId: parent?.spanId ?? null,
        name,
        kind: spanOptions?.kind ?? 'internal',
        startTime,
        endTime: startTime,
        status: 'unset',
        statusMessage: null,
        attributes: definedAttributes(spanOptions?.attributes),
        events: [],
      };
      return new RecordingSpan(sink, record, { traceId, spanId, sampled: true, recorder: tracer });
    },
    async flush() {
      await Promise.all(batchers.map((b) => b.flush()));
    },
    async close() {
      await Promise.all(batchers.map((b) => b.close()));
      try {
        await exporter?.shutdown();
      } catch (error) {
        options.onError?.(error, { sink: 'exporter', spans: 0 });
      }
    },
    get dropped() {
      return batchers.reduce((sum, b) => sum + b.dropped, 0);
    },
    get pending() {
      return batchers.reduce((sum, b) => sum + b.pending, 0);
    },
  };
  return tracer;
}
