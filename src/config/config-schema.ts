/**
 * The schema of `conduit.yaml`. Keys are snake_case as users write YAML; unknown keys are errors so a
 * typo never silently does nothing.
 */
import { z } from 'zod';
import { modelPriceConfigSchema, pricingConfigSchema } from '../core/cost/pricing-config.js';

const positiveInt = z.number().int().positive();

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

export const configSchema = z.strictObject({
  models: z.record(z.string().min(1), aliasSchema).default({}),
  providers: z.record(z.string().min(1), z.strictObject(connectionShape)).default({}),
  pricing: pricingConfigSchema.default({}),
  defaults: z.strictObject({ timeout: timeoutsSchema.optional(), retry: retrySchema.optional() }).default({}),
  storage: z.string().min(1).optional(),
});

export type ConduitConfig = z.infer<typeof configSchema>;
export type DeploymentConfig = z.infer<typeof deploymentSchema>;
export type AliasConfig = ConduitConfig['models'][string];
