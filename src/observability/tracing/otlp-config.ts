/**
 * Where spans are exported, from the standard OpenTelemetry SDK variables, so an operator who
 * already runs a collector configures Conduit the way they configure every other service:
 *
 * - `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as-is) or `OTEL_EXPORTER_OTLP_ENDPOINT` (+ `/v1/traces`)
 * - `OTEL_EXPORTER_OTLP_TRACES_HEADERS` over `OTEL_EXPORTER_OTLP_HEADERS` (`k=v,k2=v2`, URL-encoded)
 * - `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` or `OTEL_EXPORTER_OTLP_PROTOCOL` (default `http/protobuf`)
 * - `OTEL_SERVICE_NAME` (or `service.name` in `OTEL_RESOURCE_ATTRIBUTES`)
 * - `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`: no export, whatever else is set
 *
 * `observability.otlp` in conduit.yaml wins over the variables, field by field.
 */
import { ConduitError } from '../../core/errors.js';

export type OtlpProtocol = 'http/json' | 'http/protobuf';

export interface OtlpConfig {
  /** The full OTLP/HTTP traces URL. */
  endpoint: string;
  headers: Record<string, string>;
  protocol: OtlpProtocol;
  /** From OTEL_SERVICE_NAME; absent when not set. */
  serviceName?: string;
}

/** `observability.otlp` from conduit.yaml. */
export interface ConfiguredOtlp {
  endpoint: string;
  headers?: Record<string, string>;
  protocol?: OtlpProtocol;
}

type Env = Readonly<Record<string, string | undefined>>;

const PROTOCOLS: ReadonlySet<string> = new Set<OtlpProtocol>(['http/json', 'http/protobuf']);

/** A variable's value, treating empty as unset (as the SDK specification does). */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** Parses the W3C-baggage-like `k=v,k2=v2` list of OTEL_*_HEADERS and OTEL_RESOURCE_ATTRIBUTES. */
export function parseKeyValueList(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text) return out;
  for (const entry of text.split(',')) {
    const at = entry.indexOf('=');
    if (at <= 0) continue;
    const key = decode(entry.slice(0, at).trim());
    if (key) out[key] = decode(entry.slice(at + 1).trim());
  }
  return out;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function checkUrl(url: string, source: string): string {
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new ConduitError('bad_request', `${source} must be an http(s) URL, got "${url}"`, {
      param: source,
    });
  }
  return url;
}

function checkProtocol(value: string, source: string): OtlpProtocol {
  if (value === 'grpc') {
    throw new ConduitError(
      'unsupported',
      `${source}=grpc is not supported: Conduit exports OTLP over HTTP; use http/protobuf (collectors listen on port 4318)`,
      { param: source },
    );
  }
  if (!PROTOCOLS.has(value)) {
    throw new ConduitError('bad_request', `${source} must be http/protobuf or http/json, got "${value}"`, {
      param: source,
    });
  }
  return value as OtlpProtocol;
}

/** Appends `v1/traces` to a base endpoint, as the specification says for OTEL_EXPORTER_OTLP_ENDPOINT. */
function tracesUrl(base: string): string {
  return `${base.endsWith('/') ? base : `${base}/`}v1/traces`;
}

/**
 * The OTLP trace export settings, or undefined when nothing asks for export.
 * Throws a ConduitError for a malformed endpoint or an unsupported protocol (grpc).
 */
export function otlpConfigFromEnv(env: Env, configured?: ConfiguredOtlp): OtlpConfig | undefined {
  if (read(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return undefined;
  if (read(env, 'OTEL_TRACES_EXPORTER')?.toLowerCase() === 'none') return undefined;

  let endpoint: string | undefined;
  if (configured) {
    // A bare collector origin ("http://collector:4318") would POST to "/", which no collector
    // serves: give it the standard path. Any other path is taken as written.
    const url = checkUrl(configured.endpoint, 'observability.otlp.endpoint');
    endpoint = new URL(url).pathname === '/' ? tracesUrl(url) : url;
  } else {
    const traces = read(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
    const base = read(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
    if (traces) endpoint = checkUrl(traces, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
    else if (base) endpoint = tracesUrl(checkUrl(base, 'OTEL_EXPORTER_OTLP_ENDPOINT'));
  }
  if (endpoint === undefined) return undefined;

  const protocolVar = read(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL')
    ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
    : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const envProtocol = read(env, protocolVar);
  const protocol =
    configured?.protocol ?? (envProtocol ? checkProtocol(envProtocol, protocolVar) : 'http/protobuf');

  const headers = {
    ...parseKeyValueList(read(env, 'OTEL_EXPORTER_OTLP_HEADERS')),
    ...parseKeyValueList(read(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS')),
    ...configured?.headers,
  };

  const serviceName =
    read(env, 'OTEL_SERVICE_NAME') ??
    parseKeyValueList(read(env, 'OTEL_RESOURCE_ATTRIBUTES'))['service.name'];
  return serviceName ? { endpoint, headers, protocol, serviceName } : { endpoint, headers, protocol };
}
