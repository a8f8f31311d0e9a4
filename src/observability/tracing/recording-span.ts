/**
 * The span object handed out on every traced call. It is a class rather than a closure bundle so
 * that its methods live once on the prototype: `startSpan` then costs two small allocations.
 */
import { ConduitError } from '../../core/errors.js';
import type { ActiveSpan, Attributes, AttributeValue, TraceContext } from '../../core/trace-context.js';
import type { SpanRecord } from './span-record.js';

/** Where a span goes when it ends, and the clock it reads. */
export interface SpanSink {
  now(): number;
  finish(record: SpanRecord): void;
}

/** Copies attributes without the `undefined` values (callers pass optional fields straight in). */
export function definedAttributes(attributes: Attributes | undefined): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  if (attributes === undefined) return out;
  for (const key in attributes) {
    const value = attributes[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * `error.type` per OpenTelemetry: a low-cardinality class of failure. A ConduitError's code is
 * exactly that ("rate_limited", "timeout"); anything else is named by its constructor.
 */
export function errorType(error: unknown): string {
  if (ConduitError.isInstance(error)) return error.code;
  if (error instanceof Error) return error.name || 'Error';
  return '_OTHER';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class RecordingSpan implements ActiveSpan {
  readonly context: TraceContext;
  readonly #record: SpanRecord;
  readonly #sink: SpanSink;
  #ended = false;

  constructor(sink: SpanSink, record: SpanRecord, context: TraceContext) {
    this.#sink = sink;
    this.#record = record;
    this.context = context;
  }

  setAttribute(key: string, value: AttributeValue | undefined): void {
    if (this.#ended || value === undefined) return;
    this.#record.attributes[key] = value;
  }

  setAttributes(attributes: Attributes): void {
    if (this.#ended) return;
    for (const key in attributes) {
      const value = attributes[key];
      if (value !== undefined) this.#record.attributes[key] = value;
    }
  }

  addEvent(name: string, attributes?: Attributes): void {
    if (this.#ended) return;
    const time = this.#sink.now();
    this.#record.events.push(
      attributes === undefined ? { name, time } : { name, time, attributes: definedAttributes(attributes) },
    );
  }

  recordError(error: unknown): void {
    if (this.#ended) return;
    const message = errorMessage(error);
    this.#record.status = 'error';
    this.#record.statusMessage = message;
    this.#record.attributes['error.type'] = errorType(error);
    this.#record.events.push({
      name: 'exception',
      time: this.#sink.now(),
      attributes: {
        'exception.type': error instanceof Error ? error.name || 'Error' : typeof error,
        'exception.message': message,
      },
    });
  }

  end(endTime?: number): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#record.endTime = endTime ?? this.#sink.now();
    this.#sink.finish(this.#record);
  }
}
