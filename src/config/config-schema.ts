/**
 * The schema of `conduit.yaml`. Keys are snake_case as users write YAML; unknown keys are errors so a
 * typo never silently does nothing.
 */
import { z } from 'zod';
import { modelPriceConfigSchema, pricingConfigSchema } from '../core/cost/pricing-config.js';

const positiveInt = z.number().int().positive();

/** Shortest master key accepted, from conduit.yaml or CONDUIT_MASTER_KEY alike. */
export const MIN_MASTER_KEY_LENGTH = 8;

export const timeoutsSchema = z.strictObject({
  total_ms: positiveInt.optional(),
  first_token_ms: positiveInt.optional(),
  idle_ms: positiveInt.optional(),
});

export const retrySchema = z.strictObject({
  max_attempts: positiveInt.optional(),
  initial_delay_ms: positiveInt.optional(),
  max_delay_ms: positiveInt.optional(),
  max_elapsed_ms: positiveInt.optional(),
});

/** Connection settings shared by `providers:` entries and deployments. */
const connectionShape = {
  api_key: z.string().min(1).optional(),
  base_url: z.string().url().optional(),
  api_version: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  timeout: timeoutsSchema.optional(),
  retry: retrySchema.optional(),
};

export const deploymentSchema = z.strictObject({
  provider: z.string().min(1),
  model: z.string().min(1),
  ...connectionShape,
  weight: z.number().positive().optional(),
  priority: z.number().int().optional(),
  rpm: positiveInt.optional(),
  tpm: positiveInt.optional(),
  context_window: positiveInt.optional(),
  pricing: modelPriceConfigSchema.optional(),
});

/**
 * An alias: `deployments:` with a strategy, or the shorthand of one deployment written inline. The
 * shorthand is rewritten before validation (rather than a union) so errors point at the real key.
 */
export const aliasSchema = z.preprocess(
  (value) =>
    value && typeof value === 'object' && !Array.isArray(value) && !('deployments' in value)
      ? { deployments: [value] }
      : value,
  z.strictObject({
    strategy: z.enum(['fallback', 'weighted', 'latency', 'least-busy']).default('fallback'),
    deployments: z.array(deploymentSchema).min(1),
    description: z.string().optional(),
  }),
);

/** The HTTP edge (`conduit serve`); flags override these. */
export const serverSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(4141),
  /** Largest request body accepted, in bytes. */
  body_limit_bytes: positiveInt.default(10 * 1024 * 1024),
  /** How long a graceful shutdown waits for in-flight streams. */
  shutdown_grace_ms: positiveInt.default(15_000),
  /** A client must send all request headers within this time (slowloris). */
  headers_timeout_ms: positiveInt.default(15_000),
  /** A client must send the whole request (headers and body) within this time; responses may stream longer. */
  request_timeout_ms: positiveInt.default(60_000),
  /**
   * Connections one IP address may hold open before any request on them has authenticated; more are
   * closed at once. Authenticated connections do not count.
   */
  max_unauthenticated_connections_per_ip: positiveInt.default(256),
});

/** Cross-origin access from browsers; none unless listed. */
export const corsSchema = z.strictObject({
  /** Exact origins (`https://app.example.com`) allowed to call the gateway from a browser, or `*`. */
  origins: z
    .array(
      z
        .string()
        .refine(
          (value) => value === '*' || /^https?:\/\/[^/?#\s]+$/i.test(value),
          'must be an origin such as https://app.example.com (scheme and host, no path), or *',
        ),
    )
    .default([]),
});

export const metricsSchema = z.strictObject({
  /** Serve /metrics without the master key (otherwise Prometheus sends it as a bearer token). */
  public: z.boolean().default(false),
});

export const cacheSchema = z.strictObject({
  enabled: z.boolean().default(false),
  ttl_ms: positiveInt.default(3_600_000),
  /** Responses larger than this are not cached. */
  max_entry_bytes: positiveInt.default(1_048_576),
});

export const routerSchema = z.strictObject({
  /** Attempts on one deployment before falling back to the next (including the first). */
  attempts_per_deployment: positiveInt.default(2),
  /** A Retry-After longer than this makes the router fall back instead of waiting. */
  max_retry_wait_ms: positiveInt.default(5_000),
  cooldown: z
    .strictObject({
      /** Consecutive failures that put a deployment in cooldown. */
      failures: positiveInt.default(3),
      /** How long a deployment is skipped; then one probe request is let through. */
      duration_ms: positiveInt.default(30_000),
    })
    .default({ failures: 3, duration_ms: 30_000 }),
});

export const usageLogSchema = z.strictObject({
  /** Rows are written in batches at most this far apart: a kill -9 loses at most this window. */
  flush_ms: positiveInt.default(250),
  batch_size: positiveInt.default(500),
});

/** Traces: local storage, OTLP export, content capture. */
export const observabilitySchema = z.strictObject({
  /** Record prompts and completions on spans (gen_ai.input.messages / gen_ai.output.messages). */
  capture_content: z.boolean().default(false),
  /** OTLP/HTTP export; wins over the OTEL_EXPORTER_OTLP_* variables, field by field. */
  otlp: z
    .strictObject({
      /** The traces URL, used as written; a bare origin (http://collector:4318) gets /v1/traces. */
      endpoint: z.string().url(),
      headers: z.record(z.string(), z.string()).optional(),
      protocol: z.enum(['http/json', 'http/protobuf']).optional(),
    })
    .optional(),
  /** Whether spans are stored locally (the console's trace view). */
  traces: z.strictObject({ enabled: z.boolean().default(true) }).default({ enabled: true }),
});

export const configSchema = z.strictObject({
  models: z.record(z.string().min(1), aliasSchema).default({}),
  providers: z.record(z.string().min(1), z.strictObject(connectionShape)).default({}),
  pricing: pricingConfigSchema.default({}),
  /** The model CLI commands use when neither -m nor $CONDUIT_MODEL names one. */
  default_model: z.string().min(1).optional(),
  defaults: z.strictObject({ timeout: timeoutsSchema.optional(), retry: retrySchema.optional() }).default({}),
  storage: z.string().min(1).optional(),
  /** Shared limits, cache and cooldowns for several gateway processes. */
  redis: z.string().min(1).optional(),
  /** Accepted as a bearer token everywhere, and the only key for /admin (also CONDUIT_MASTER_KEY). */
  master_key: z
    .string()
    .min(
      MIN_MASTER_KEY_LENGTH,
      `must be at least ${MIN_MASTER_KEY_LENGTH} characters; use a long random secret`,
    )
    .optional(),
  server: serverSchema.default(serverSchema.parse({})),
  cors: corsSchema.default(corsSchema.parse({})),
  metrics: metricsSchema.default(metricsSchema.parse({})),
  cache: cacheSchema.default(cacheSchema.parse({})),
  router: routerSchema.default(routerSchema.parse({})),
  usage_log: usageLogSchema.default(usageLogSchema.parse({})),
  observability: observabilitySchema.default(observabilitySchema.parse({})),
});

export type ConduitConfig = z.infer<typeof configSchema>;
export type DeploymentConfig = z.infer<typeof deploymentSchema>;
export type AliasConfig = ConduitConfig['models'][string];
