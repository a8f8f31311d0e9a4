/**
 * Tracing: the recorder behind core's `TraceContext`, OTLP export, and the GenAI attribute mapping.
 * See tracer.ts for how spans flow.
 */
export {
  type ChatResultLike,
  chatRequestAttributes,
  chatResultAttributes,
  contentAttributes,
  outputContentAttributes,
  providerName,
  usageAttributes,
} from './genai-attributes.js';
export {
  type GenAiInputMessage,
  type GenAiOutputMessage,
  type GenAiPart,
  toGenAiFinishReason,
  toInputMessages,
  toOutputMessages,
} from './genai-messages.js';
export {
  type ConfiguredOtlp,
  type OtlpConfig,
  type OtlpProtocol,
  otlpConfigFromEnv,
  parseKeyValueList,
} from './otlp-config.js';
export { createOtlpExporter, type OtlpExporter, type OtlpExporterOptions } from './otlp-exporter.js';
export type { SpanEventRecord, SpanExporterLike, SpanRecord, SpanResource } from './span-record.js';
export { createTracer, type Tracer, type TracerOptions, type TracerSinkName } from './tracer.js';
