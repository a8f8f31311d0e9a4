/**
 * Turns what a user types — an alias from conduit.yaml or `provider:model` — into a model value.
 * Until the gateway's router lands (issue #4), an alias resolves to its first deployment.
 */
import { type ModelPrice, registerPrices } from '../core/cost/pricing.js';
import { type PricingConfig, pricesFromConfig } from '../core/cost/pricing-config.js';
import { ConduitError } from '../core/errors.js';
import type { EmbeddingModel, LanguageModel } from '../core/language-model.js';
import { createLocal, type LocalProvider } from '../engine/local-provider.js';
import type { OpenAICompatibleSettings } from '../providers/openai-compatible/create-openai-compatible.js';
import { PROVIDER_FACTORIES, providerIds, resolveProviderId } from '../providers/registry.js';
import type { Provider } from '../providers/types.js';
import type { ConduitConfig, DeploymentConfig } from './config-schema.js';

export type Connection = Partial<Omit<DeploymentConfig, 'provider' | 'model'>>;

export interface ModelResolver {
  languageModel(spec: string): LanguageModel;
  /** The provider instance for a deployment's connection settings (shared between equal settings). */
  provider(name: string, connection?: Connection & { model?: string }): Provider;
  embeddingModel(spec: string): EmbeddingModel;
  /** The deployment an alias or spec points at. */
  deployment(spec: string): { provider: string; model: string; alias?: string };
  /** The in-process engine, once a `local` model was asked for. */
  local(): LocalProvider | undefined;
  /** Unloads local models; hosted providers hold nothing to release. */
  close(): Promise<void>;
}

export interface ModelResolverOptions {
  /** Called once when the local engine starts (the gateway exposes its metrics). */
  onLocal?: (local: LocalProvider) => void;
}

/** One `pricing:` entry of conduit.yaml → the table shape. */
export function toPrice(price: PricingConfig[string]): ModelPrice {
  return pricesFromConfig({ price }).price!;
}

export function createModelResolver(
  config: ConduitConfig,
  env: NodeJS.ProcessEnv = process.env,
  options: ModelResolverOptions = {},
): ModelResolver {
  // One engine per process: every alias that names the same GGUF shares its loaded weights.
  let local: LocalProvider | undefined;
  const localProvider = (): LocalProvider => {
    if (!local) {
      local = createLocal({ env });
      options.onLocal?.(local);
    }
    return local;
  };
  registerPrices(pricesFromConfig(config.pricing));
  const providers = new Map<string, Provider>();

  const settingsFor = (
    providerId: string,
    deployment: Connection & { model?: string },
  ): OpenAICompatibleSettings => {
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
  };

  const provider = (name: string, deployment: Connection & { model?: string }): Provider => {
    const id = resolveProviderId(name);
    if (!id) {
      if (name === 'local') return localProvider();
      throw new ConduitError(
        'not_found',
        `Unknown provider "${name}". Known providers: ${providerIds().join(', ')}`,
        { param: 'provider' },
      );
    }
    const settings = settingsFor(id, deployment);
    const key = `${id}\0${JSON.stringify({ ...settings, env: undefined })}`;
    let instance = providers.get(key);
    if (!instance) {
      instance = PROVIDER_FACTORIES[id](settings);
      providers.set(key, instance);
    }
    return instance;
  };

  const deployment = (
    spec: string,
  ): { provider: string; model: string; alias?: string; connection: Connection } => {
    const alias = config.models[spec];
    if (alias) {
      const first = alias.deployments[0]!;
      return { provider: first.provider, model: first.model, alias: spec, connection: first };
    }
    const colon = spec.indexOf(':');
    if (colon > 0) return { provider: spec.slice(0, colon), model: spec.slice(colon + 1), connection: {} };
    const aliases = Object.keys(config.models);
    throw new ConduitError(
      'not_found',
      `Unknown model "${spec}". Use provider:model (e.g. openai:gpt-4o-mini)${aliases.length ? ` or one of the aliases: ${aliases.join(', ')}` : ', or define an alias in conduit.yaml'}`,
      { param: 'model' },
    );
  };

  return {
    provider: (name, connection = {}) => provider(name, connection),
    local: () => local,
    close: async () => {
      await local?.dispose();
    },
    languageModel(spec) {
      const d = deployment(spec);
      return provider(d.provider, { ...d.connection, model: d.model }).languageModel(d.model);
    },
    embeddingModel(spec) {
      const d = deployment(spec);
      const p = provider(d.provider, { ...d.connection, model: d.model });
      if (!p.embeddingModel)
        throw new ConduitError('unsupported', `${d.provider} has no embedding models`, { param: 'model' });
      return p.embeddingModel(d.model);
    },
    deployment(spec) {
      const { connection: _connection, ...rest } = deployment(spec);
      return rest;
    },
  };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
