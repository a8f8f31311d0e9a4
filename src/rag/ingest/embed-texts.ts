/**
 * Embeds many texts in batches no larger than the model accepts, keeping order, and sums usage and
 * cost across the batches.
 */
import { ConduitError } from '../../core/errors.js';
import type { EmbeddingModel, EmbeddingOptions } from '../../core/language-model.js';

export interface EmbeddedTexts {
  vectors: number[][];
  tokens: number;
  /** USD, when the model reports it. */
  costUsd: number;
}

export const DEFAULT_EMBEDDING_BATCH = 64;

export async function embedTexts(
  model: EmbeddingModel,
  texts: string[],
  options: EmbeddingOptions & { batchSize?: number } = {},
): Promise<EmbeddedTexts> {
  const { batchSize, ...callOptions } = options;
  const size = Math.max(1, Math.min(batchSize ?? DEFAULT_EMBEDDING_BATCH, model.maxBatchSize ?? Infinity));
  const vectors: number[][] = [];
  let tokens = 0;
  let costUsd = 0;
  for (let i = 0; i < texts.length; i += size) {
    const batch = texts.slice(i, i + size);
    const result = await model.embed(batch, callOptions);
    if (result.embeddings.length !== batch.length) {
      throw new ConduitError(
        'invalid_response',
        `${model.id} returned ${result.embeddings.length} embeddings for ${batch.length} texts`,
        { provider: model.provider },
      );
    }
    vectors.push(...result.embeddings);
    tokens += result.usage.totalTokens;
    costUsd += result.costUsd ?? 0;
  }
  return { vectors, tokens, costUsd };
}
