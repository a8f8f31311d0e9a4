/**
 * Observability: what lets an operator see what Conduit did. Tracing records spans in the
 * OpenTelemetry GenAI conventions to the local TraceStore and to any OTLP collector.
 */
export * from './tracing/index.js';
