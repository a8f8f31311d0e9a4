/**
 * An EmbeddingModel over a GGUF model in this process. Vectors are L2-normalised (as llama.cpp's
 * server does by default and OpenAI's embeddings are), so cosine similarity is a dot product.
 * `dimensions` truncates and re-normalises — meaningful for Matryoshka-trained models only.
 */
import { ConduitError } from '../core/errors.js';
import type { EmbeddingModel, EmbeddingOptions, EmbeddingResult } from '../core/language-model.js';
import type { LocalModelContext } from './local-model-context.js';

export class LocalEmbeddingModel implements EmbeddingModel {
  readonly id: string;
  readonly provider = 'local';
  readonly maxBatchSize = 256;

  constructor(
    readonly modelId: string,
    private readonly context: LocalModelContext,
  ) {
    this.id = `local:${modelId}`;
  }

  async embed(texts: string[], options: EmbeddingOptions = {}): Promise<EmbeddingResult> {
    for (const [i, text] of texts.entries()) {
      if (typeof text !== 'string' || text.length === 0)
        throw new ConduitError('bad_request', `input[${i}] must be a non-empty string`, {
          provider: 'local',
          param: `input[${i}]`,
        });
    }
    const handle = await this.context.acquire(this.modelId);
    try {
      const { loaded } = handle;
      const size = loaded.model.embeddingVectorSize;
      const dimensions = options.dimensions ?? size;
      if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > size)
        throw new ConduitError(
          'bad_request',
          `dimensions must be an integer from 1 to ${size} for this model`,
          {
            provider: 'local',
            param: 'dimensions',
          },
        );
      return await loaded.withEmbedding(async (embedding) => {
        const embeddings: number[][] = [];
        let promptTokens = 0;
        for (const [i, text] of texts.entries()) {
          if (options.signal?.aborted)
            throw new ConduitError('cancelled', 'The request was cancelled', {
              provider: 'local',
              cause: options.signal.reason,
            });
          const tokens = loaded.model.tokenize(text);
          if (tokens.length > loaded.embeddingContextSize)
            throw new ConduitError(
              'context_length_exceeded',
              `input[${i}] is ${tokens.length} tokens; embeddings take at most ${loaded.embeddingContextSize} (embeddingContextSize)`,
              { provider: 'local', param: `input[${i}]` },
            );
          const { vector } = await embedding.getEmbeddingFor(tokens);
          embeddings.push(normalize(vector.slice(0, dimensions)));
          promptTokens += tokens.length;
        }
        return {
          embeddings,
          model: this.modelId,
          usage: { promptTokens, totalTokens: promptTokens },
          costUsd: 0,
        };
      });
    } finally {
      handle.release();
    }
  }
}

function normalize(vector: readonly number[]): number[] {
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm);
  return norm === 0 ? [...vector] : vector.map((v) => v / norm);
}
