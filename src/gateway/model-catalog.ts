/**
 * The models a gateway serves: the aliases of conduit.yaml (each a router over its deployments) and,
 * for providers that are offered (listed under `providers:`, keyed in the environment, or discovered),
 * any `provider/model` name as a one-deployment router.
 */
import type { ConduitConfig } from '../config/config-schema.js';
import type { ModelResolver } from '../config/resolve-model.js';
import { ConduitError, toConduitError } from '../core/errors.js';
import type { EmbeddingOptions, EmbeddingResult } from '../core/language-model.js';
import { resolveProviderId } from '../providers/registry.js';
import type { RateLimiter } from '../storage/ports/rate-limiter.js';
import { createDeployment, type Deployment } from './deployment.js';
import type { DeploymentHealth } from './deployment-health.js';
import type { Discovery } from './discover-models.js';
import { orderDeployments } from './order-deployments.js';
import { createRouter, shouldFallback } from './router.js';

export type RouterModel = ReturnType<typeof createRouter>;

export interface CatalogEntry {
  name: string;
  router: RouterModel;
  deployments: readonly Deployment[];
  kind: 'alias' | 'direct';
}

export interface ModelCatalog {
  /** The entry for a model name, or a `not_found` error listing what is available. */
  resolve(name: string): CatalogEntry;
  list(): { id: string; kind: 'alias' | 'direct'; deployments: string[] }[];
  embed(
    name: string,
    texts: string[],
    options?: EmbeddingOptions,
  ): Promise<EmbeddingResult & { deployment: string }>;
}

export interface ModelCatalogOptions {
  config: ConduitConfig;
  resolver: ModelResolver;
  health: DeploymentHealth;
  limiter?: RateLimiter;
  discovery?: Discovery;
}

export function createModelCatalog(options: ModelCatalogOptions): ModelCatalog {
  const { config, resolver, health, limiter } = options;
  const routerSettings = {
    health,
    limiter,
    attemptsPerDeployment: config.router.attempts_per_deployment,
    maxRetryWaitMs: config.router.max_retry_wait_ms,
  };
  const entries = new Map<string, CatalogEntry>();
  for (const [alias, spec] of Object.entries(config.models)) {
    const deployments = spec.deployments.map((d, index) => {
      const provider = resolver.provider(d.provider, { ...d });
      return createDeployment({
        alias,
        index,
        provider: d.provider,
        model: d.model,
        weight: d.weight,
        priority: d.priority,
        rpm: d.rpm,
        tpm: d.tpm,
        createLanguageModel: () => provider.languageModel(d.model),
        createEmbeddingModel: () => {
          if (!provider.embeddingModel) {
            throw new ConduitError('unsupported', `${d.provider} has no embedding models`, {
              param: 'model',
            });
          }
          return provider.embeddingModel(d.model);
        },
      });
    });
    entries.set(alias, {
      name: alias,
      deployments,
      kind: 'alias',
      router: createRouter({ alias, strategy: spec.strategy, deployments, ...routerSettings }),
    });
  }

  const offered = new Set<string>([
    ...Object.keys(config.providers),
    ...(options.discovery?.providers ?? []),
  ]);
  const direct = (name: string): CatalogEntry | undefined => {
    const match = /^([a-z0-9.-]+)[/:](.+)$/i.exec(name);
    if (!match) return undefined;
    const providerId = match[1] === 'local' ? 'local' : resolveProviderId(match[1]!);
    if (!providerId || !offered.has(providerId)) return undefined;
    const model = match[2]!;
    const baseURL = options.discovery?.baseURLs[providerId];
    const provider = resolver.provider(
      providerId,
      baseURL && !config.providers[providerId] ? { base_url: baseURL } : {},
    );
    const deployment = createDeployment({
      alias: name,
      index: 0,
      provider: providerId,
      model,
      createLanguageModel: () => provider.languageModel(model),
      createEmbeddingModel: () => {
        if (!provider.embeddingModel)
          throw new ConduitError('unsupported', `${providerId} has no embedding models`);
        return provider.embeddingModel(model);
      },
    });
    const entry: CatalogEntry = {
      name,
      deployments: [deployment],
      kind: 'direct',
      router: createRouter({
        alias: name,
        strategy: 'fallback',
        deployments: [deployment],
        ...routerSettings,
      }),
    };
    if (entries.size < 10_000) entries.set(name, entry);
    return entry;
  };

  const available = (): string[] => [
    ...Object.keys(config.models),
    ...(options.discovery?.models.map((m) => m.name) ?? []),
  ];

  return {
    resolve(name) {
      const entry = entries.get(name) ?? direct(name);
      if (entry) return entry;
      const names = available();
      throw new ConduitError(
        'not_found',
        `The model "${name}" does not exist on this gateway. ${
          names.length
            ? `Available: ${names.slice(0, 20).join(', ')}${names.length > 20 ? `, … (${names.length} in all, see /v1/models)` : ''}`
            : 'No models are configured: add one to conduit.yaml (see docs/configuration.md)'
        }`,
        { param: 'model' },
      );
    },
    list() {
      const out = [...entries.values()]
        .filter((e) => e.kind === 'alias')
        .map((e) => ({ id: e.name, kind: e.kind, deployments: e.deployments.map((d) => d.name) }));
      for (const m of options.discovery?.models ?? []) {
        if (!entries.has(m.name))
          out.push({ id: m.name, kind: 'direct', deployments: [`${m.provider}:${m.model}`] });
      }
      return out;
    },
    async embed(name, texts, embedOptions) {
      const entry = this.resolve(name);
      const errors: ConduitError[] = [];
      for (const d of orderDeployments(entry.deployments, 'fallback', health)) {
        try {
          const result = await d.embeddingModel().embed(texts, embedOptions);
          return { ...result, deployment: d.id };
        } catch (thrown) {
          const error = toConduitError(thrown, d.provider);
          health.recordFailure(d.id, error);
          if (!shouldFallback(error)) throw error;
          errors.push(error);
        }
      }
      throw errors.at(-1) ?? new ConduitError('overloaded', `No deployment of "${name}" could embed`);
    },
  };
}
