/**
 * Provider instances for a configuration: the settings of a deployment merged over its provider's
 * `providers:` entry and the config's defaults, one instance per distinct settings. `local` is an
 * entry of the same table, not a special case: one in-process engine per pool, started on first use.
 */

import type { ConduitConfig, DeploymentConfig } from '../config/config-schema.js';
import { type ModelPrice, registerPrices } from '../core/cost/pricing.js';
import { type PricingConfig, pricesFromConfig } from '../core/cost/pricing-config.js';
import { ConduitError } from '../core/errors.js';
import { createLocal, type LocalProvider } from '../engine/local-provider.js';
import type { OpenAICompatibleSettings } from '../providers/openai-compatible/create-openai-compatible.js';
import { PROVIDER_FACTORIES, providerIds, resolveProviderId } from '../providers/registry.js';
import type { Provider } from '../providers/types.js';

/** A deployment's connection settings (everything but which provider and model). */
export type Connection = Partial<Omit<DeploymentConfig, 'provider' | 'model'>> & { model?: string };

export interface ProviderPool {
  /** The provider for `name` (an id or an alias of one) with these connection settings. */
  get(name: string, connection?: Connection): Provider;
  /** Canonical provider id for a name, or undefined when unknown. */
  resolveId(name: string): string | undefined;
  /** The in-process engine, once a `local` model was asked for. */
  local(): LocalProvider | undefined;
  /** Unloads local models; hosted providers hold nothing to release. */
  close(): Promise<void>;
}

export interface ProviderPoolOptions {
  config: ConduitConfig;
  env?: NodeJS.ProcessEnv;
  /** Use this engine instead of starting one (a reloaded config keeps the loaded models). */
  local?: LocalProvider;
  /** Called once when this pool starts its own engine. */
  onLocal?: (local: LocalProvider) => void;
}

/** One `pricing:` entry of conduit.yaml → the table shape. */
export function toPrice(price: PricingConfig[string]): ModelPrice {
  return pricesFromConfig({ price }).price!;
}

export function createProviderPool(options: ProviderPoolOptions): ProviderPool {
  const { config } = options;
  const env = options.env ?? process.env;
  registerPrices(pricesFromConfig(config.pricing));
  let local = options.local;
  const owned = !options.local;
  const instances = new Map<string, Provider>();

  const factories: Record<string, (settings: OpenAICompatibleSettings) => Provider> = {
    ...PROVIDER_FACTORIES,
    local: () => {
      if (!local) {
        local = createLocal({ env });
        options.onLocal?.(local);
      }
      return local;
    },
  };
  const resolveId = (name: string): string | undefined =>
    name.toLowerCase() === 'local' ? 'local' : resolveProviderId(name);

  return {
    resolveId,
    local: () => local,
    close: async () => {
      if (owned) await local?.dispose();
    },
    get(name, connection = {}) {
      const id = resolveId(name);
      if (!id) {
        throw new ConduitError(
          'not_found',
          `Unknown provider "${name}". Known providers: local, ${providerIds().join(', ')}`,
          { param: 'model' },
        );
      }
      const settings = settingsFor(config, id, connection, env);
      const key = `${id}\0${JSON.stringify({ ...settings, env: undefined })}`;
      let instance = instances.get(key);
      if (!instance) {
        instance = factories[id]!(settings);
        instances.set(key, instance);
      }
      return instance;
    },
  };
}

function settingsFor(
  config: ConduitConfig,
  providerId: string,
  deployment: Connection,
  env: NodeJS.ProcessEnv,
): OpenAICompatibleSettings {
  const shared = config.providers[providerId] ?? {};
  const merged = { ...shared, ...stripUndefined(deployment) };
  const timeout = { ...config.defaults.timeout, ...merged.timeout };
  const retry = { ...config.defaults.retry, ...merged.retry };
  const settings: OpenAICompatibleSettings = { env };
  if (merged.api_key) settings.apiKey = merged.api_key;
  if (merged.base_url) settings.baseURL = merged.base_url;
  if (merged.api_version) settings.apiVersion = merged.api_version;
  if (merged.headers) settings.headers = merged.headers;
  settings.timeout = stripUndefined({
    totalMs: timeout.total_ms,
    firstTokenMs: timeout.first_token_ms,
    idleMs: timeout.idle_ms,
  });
  settings.retry = stripUndefined({
    maxAttempts: retry.max_attempts,
    initialDelayMs: retry.initial_delay_ms,
    maxDelayMs: retry.max_delay_ms,
    maxElapsedMs: retry.max_elapsed_ms,
  });
  if (deployment.pricing && deployment.model)
    settings.pricing = { [deployment.model]: toPrice(deployment.pricing) };
  return settings;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
