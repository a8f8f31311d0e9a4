/**
 * OTLP/HTTP span export through the official OpenTelemetry exporters (JSON or protobuf), so the wire
 * format is theirs and follows the specification, not ours. The exporter packages are imported the
 * first time an exporter is created: a process that does not export pays nothing for them.
 *
 * Like the SDK, the exporter also honours the other standard variables it reads itself
 * (OTEL_EXPORTER_OTLP_TIMEOUT, _COMPRESSION, _CERTIFICATE, …) and merges OTEL_EXPORTER_OTLP_HEADERS
 * under the headers given here.
 *
 * @example
 * const otlp = otlpConfigFromEnv(process.env, config.observability.otlp);
 * const tracer = createTracer({ store, exporter: otlp && createOtlpExporter(otlp) });
 */
import type { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ConduitError } from '../../core/errors.js';
import type { OtlpProtocol } from './otlp-config.js';
import type { SpanExporterLike } from './span-record.js';
import { toReadableSpans } from './to-readable-span.js';

export { type ConfiguredOtlp, type OtlpConfig, type OtlpProtocol, otlpConfigFromEnv } from './otlp-config.js';

export interface OtlpExporterOptions {
  /** The full traces URL, e.g. http://localhost:4318/v1/traces. */
  endpoint: string;
  headers?: Record<string, string>;
  /** Default http/protobuf, the specification's default. */
  protocol?: OtlpProtocol;
  /** Per export request, retries included. Default 10 000 ms. */
  timeoutMs?: number;
  /** Overrides the tracer's `service.name` (OTEL_SERVICE_NAME arrives this way). */
  serviceName?: string;
}

export interface OtlpExporter extends SpanExporterLike {
  readonly endpoint: string;
  readonly protocol: OtlpProtocol;
}

async function loadExporter(
  options: OtlpExporterOptions,
  protocol: OtlpProtocol,
): Promise<OTLPTraceExporter> {
  const module =
    protocol === 'http/json'
      ? await import('@opentelemetry/exporter-trace-otlp-http')
      : await import('@opentelemetry/exporter-trace-otlp-proto');
  return new module.OTLPTraceExporter({
    url: options.endpoint,
    headers: { ...options.headers },
    timeoutMillis: options.timeoutMs ?? 10_000,
  });
}

export function createOtlpExporter(options: OtlpExporterOptions): OtlpExporter {
  const protocol = options.protocol ?? 'http/protobuf';
  const exporter = loadExporter(options, protocol);
  // Surfaces on the first export (as its rejection); until then it must not be an unhandled rejection.
  exporter.catch(() => undefined);

  return {
    endpoint: options.endpoint,
    protocol,
    async export(spans, resource) {
      const otel = await exporter;
      const readable = toReadableSpans(spans, { serviceName: options.serviceName ?? resource.serviceName });
      await new Promise<void>((resolve, reject) => {
        otel.export(readable, (result) => {
          // ExportResultCode.SUCCESS
          if (result.code === 0) resolve();
          else
            reject(
              new ConduitError(
                'upstream_error',
                `OTLP export of ${spans.length} spans to ${options.endpoint} failed: ${result.error?.message ?? 'unknown error'}`,
                { cause: result.error },
              ),
            );
        });
      });
    },
    async shutdown() {
      const otel = await exporter.catch(() => undefined);
      await otel?.shutdown();
    },
  };
}
