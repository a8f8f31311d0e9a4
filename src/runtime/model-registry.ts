/**
 * The one model registry: every surface (CLI, SDK, eval, RAG, the gateway) turns a model name into
 * a model here, so an alias falls back, retries and cools down the same way everywhere.
 *
 * A name is an alias of conduit.yaml, `provider:model` or `provider/model` (the gateway's spelling),
 * or a path to a `.gguf` file (the local engine). Every name resolves to a router — an alias over
 * its deployments, any other name a router of one — and `get` returns it wrapped in the runtime's
 * policies (trace, usage log, key limits, budget, cache), which read the caller from the call options.
 *
 * @example
 * const registry = createModelRegistry({ config, providers, health });
 * const fast = registry.get('fast');                // fallback over fast's deployments
 * const mini = registry.get('openai/gpt-4o-mini');  // a router of one
 */

import type { ConduitConfig, DeploymentConfig } from '../config/config-schema.js';
import { ConduitError } from '../core/errors.js';
import type { EmbeddingModel, LanguageModel } from '../core/language-model.js';
import { createDeployment, type Deployment } from '../gateway/deployment.js';
import type { DeploymentHealth } from '../gateway/deployment-health.js';
import { createEmbeddingRouter } from '../gateway/embedding-router.js';
import { type ModelPolicy, wrapModel } from '../gateway/policies/model-policy.js';
import { createRouter, type RouterModel } from '../gateway/router.js';
import type { RateLimiter } from '../storage/ports/rate-limiter.js';
import type { Discovery } from './discover-models.js';
import type { Connection, ProviderPool } from './provider-pool.js';

/** Cap on names resolved on demand and remembered (aliases are always remembered). */
const MAX_REMEMBERED = 10_000;

export interface RegistryEntry {
  name: string;
  kind: 'alias' | 'direct';
  deployments: readonly Deployment[];
  router: RouterModel;
  embeddingRouter: EmbeddingModel;
}

export interface ModelListing {
  id: string;
  kind: 'alias' | 'direct';
  /** `provider:model` of each deployment. */
  deployments: string[];
  description?: string;
}

export interface ModelRegistry {
  /** The model for a name, wrapped in the runtime's policies; throws `not_found` listing what exists. */
  get(name: string): LanguageModel;
  /** The embedding model for a name (fallback over an alias's deployments), wrapped likewise. */
  embedding(name: string): EmbeddingModel;
  /** The resolved entry (router and deployments) without policies. */
  entry(name: string): RegistryEntry;
  /** Aliases, then discovered models. */
  list(): ModelListing[];
}

export interface ModelRegistryOptions {
  config: ConduitConfig;
  providers: ProviderPool;
  health: DeploymentHealth;
  /** Enforces deployments' rpm/tpm; without it they are not enforced. */
  limiter?: RateLimiter;
  /**
   * Providers reachable by `provider/model` names. Absent: every provider (the CLI and SDK). The
   * gateway passes the configured and discovered ones, so clients cannot reach a provider the
   * operator did not offer.
   */
  offered?: ReadonlySet<string>;
  discovery?: Discovery;
  /** Wrap every language model (outermost first). */
  policies?: readonly ModelPolicy[];
  /** Wrap every embedding model. */
  embeddingPolicy?: (model: EmbeddingModel) => EmbeddingModel;
}

/** `provider:model` / `provider/model` / `./x.gguf` → provider and model; undefined for a bare name. */
export function parseModelName(name: string): { provider: string; model: string } | undefined {
  if (/\.gguf$/i.test(name) && !/^[a-z0-9._-]+:/i.test(name)) return { provider: 'local', model: name };
  const match = /^([a-z0-9._-]+)[/:](.+)$/i.exec(name);
  return match ? { provider: match[1]!, model: match[2]! } : undefined;
}

export function createModelRegistry(options: ModelRegistryOptions): ModelRegistry {
  const { config, providers, health } = options;
  const routerSettings = {
    health,
    limiter: options.limiter,
    attemptsPerDeployment: config.router.attempts_per_deployment,
    maxRetryWaitMs: config.router.max_retry_wait_ms,
  };
  const entries = new Map<string, RegistryEntry>();
  const served = new Map<string, LanguageModel>();
  const servedEmbeddings = new Map<string, EmbeddingModel>();

  const deploymentOf = (
    alias: string,
    index: number,
    d: DeploymentConfig | { provider: string; model: string },
  ) => {
    const connection: Connection = { ...d };
    const provider = () => providers.get(d.provider, connection);
    return createDeployment({
      alias,
      index,
      ...d,
      createLanguageModel: () => provider().languageModel(d.model),
      createEmbeddingModel: () => {
        const p = provider();
        if (!p.embeddingModel)
          throw new ConduitError('unsupported', `${d.provider} has no embedding models`, { param: 'model' });
        return p.embeddingModel(d.model);
      },
    });
  };
  const entryOf = (
    name: string,
    kind: RegistryEntry['kind'],
    deployments: Deployment[],
    strategy = 'fallback',
  ) => ({
    name,
    kind,
    deployments,
    router: createRouter({
      alias: name,
      strategy: strategy as 'fallback',
      deployments,
      ...routerSettings,
    }),
    embeddingRouter: createEmbeddingRouter({ alias: name, deployments, health }),
  });

  for (const [alias, spec] of Object.entries(config.models)) {
    // Fail at start for an unknown provider, not at the first request.
    for (const d of spec.deployments) {
      if (!providers.resolveId(d.provider)) providers.get(d.provider);
    }
    const deployments = spec.deployments.map((d, index) => deploymentOf(alias, index, d));
    entries.set(alias, entryOf(alias, 'alias', deployments, spec.strategy));
  }

  const direct = (name: string): RegistryEntry | undefined => {
    const parsed = parseModelName(name);
    if (!parsed) return undefined;
    const providerId = providers.resolveId(parsed.provider);
    if (!providerId) return undefined;
    if (options.offered && !options.offered.has(providerId)) return undefined;
    const baseURL = options.discovery?.baseURLs[providerId];
    const connection = baseURL && !config.providers[providerId] ? { base_url: baseURL } : {};
    const entry = entryOf(name, 'direct', [
      deploymentOf(name, 0, { ...connection, provider: providerId, model: parsed.model }),
    ]);
    if (entries.size < MAX_REMEMBERED) entries.set(name, entry);
    return entry;
  };

  const notFound = (name: string): ConduitError => {
    const names = [...Object.keys(config.models), ...(options.discovery?.models.map((m) => m.name) ?? [])];
    const parsed = parseModelName(name);
    const hint = options.offered
      ? names.length
        ? `Available: ${names.slice(0, 20).join(', ')}${names.length > 20 ? `, … (${names.length} in all, see /v1/models)` : ''}`
        : 'No models are configured: add one to conduit.yaml (see docs/configuration.md)'
      : parsed
        ? `"${parsed.provider}" is not a provider (see docs/providers.md)`
        : `Use provider:model (e.g. openai:gpt-4o-mini)${names.length ? ` or one of the aliases: ${names.slice(0, 20).join(', ')}` : ', or define an alias in conduit.yaml'}`;
    // Quoted back, but not at any length: a 256 KB name is the client's, not a message's.
    const shown = name.length > 200 ? `${name.slice(0, 200)}…` : name;
    const what = options.offered
      ? `The model "${shown}" does not exist on this gateway.`
      : `Unknown model "${shown}".`;
    return new ConduitError('not_found', `${what} ${hint}`, { param: 'model' });
  };

  const entry = (name: string): RegistryEntry => {
    const found = entries.get(name) ?? direct(name);
    if (!found) throw notFound(name);
    return found;
  };

  return {
    entry,
    get(name) {
      let model = served.get(name);
      if (!model) {
        model = wrapModel(entry(name).router, options.policies ?? []);
        if (served.size < MAX_REMEMBERED) served.set(name, model);
      }
      return model;
    },
    embedding(name) {
      let model = servedEmbeddings.get(name);
      if (!model) {
        const router = entry(name).embeddingRouter;
        model = options.embeddingPolicy ? options.embeddingPolicy(router) : router;
        if (servedEmbeddings.size < MAX_REMEMBERED) servedEmbeddings.set(name, model);
      }
      return model;
    },
    list() {
      const out: ModelListing[] = Object.entries(config.models).map(([id, spec]) => ({
        id,
        kind: 'alias',
        deployments: spec.deployments.map((d) => `${d.provider}:${d.model}`),
        ...(spec.description ? { description: spec.description } : {}),
      }));
      for (const m of options.discovery?.models ?? []) {
        if (!config.models[m.name])
          out.push({ id: m.name, kind: 'direct', deployments: [`${m.provider}:${m.model}`] });
      }
      return out;
    },
  };
}
