/**
 * Embeddings over an alias's deployments: tries them in fallback order, skipping those cooling down
 * and moving on for the errors another deployment may not have (see `shouldFallback`).
 */
import { ConduitError, toConduitError } from '../core/errors.js';
import type { EmbeddingModel } from '../core/language-model.js';
import type { Deployment } from './deployment.js';
import type { DeploymentHealth } from './deployment-health.js';
import { orderDeployments } from './order-deployments.js';
import { shouldFallback } from './router.js';

export function createEmbeddingRouter(options: {
  alias: string;
  deployments: readonly Deployment[];
  health: DeploymentHealth;
}): EmbeddingModel & { readonly deployments: readonly Deployment[] } {
  const { alias, deployments, health } = options;
  return {
    id: `router:${alias}`,
    provider: 'router',
    modelId: alias,
    deployments,
    async embed(texts, embedOptions) {
      const errors: ConduitError[] = [];
      for (const d of orderDeployments(deployments, 'fallback', health)) {
        const started = performance.now();
        const attempt = (error?: ConduitError) =>
          embedOptions?.report?.attempts.push({
            deployment: d.id,
            provider: d.provider,
            model: d.model,
            latencyMs: performance.now() - started,
            retries: 0,
            ...(error ? { error } : {}),
          });
        try {
          const result = await d.embeddingModel().embed(texts, embedOptions);
          attempt();
          return result;
        } catch (thrown) {
          const error = toConduitError(thrown, d.provider);
          health.recordFailure(d.id, error);
          attempt(error);
          if (!shouldFallback(error)) throw error;
          errors.push(error);
        }
      }
      throw errors.at(-1) ?? new ConduitError('overloaded', `No deployment of "${alias}" could embed`);
    },
  };
}
