/**
 * An EmbeddingModel with vectors chosen by the test: a text listed in `vectors` gets its vector,
 * any other text a fixed one, so cosine similarities in a test are known numbers.
 */
import type { EmbeddingModel } from '../../../core/language-model.js';

export function fakeEmbedder(
  vectors: Record<string, number[]>,
  fallback = [0, 0, 1],
): EmbeddingModel & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    id: 'fake:embed',
    provider: 'fake',
    modelId: 'embed',
    calls,
    async embed(texts) {
      calls.push(texts);
      return {
        embeddings: texts.map((t) => vectors[t] ?? fallback),
        model: 'embed',
        usage: { promptTokens: texts.length, totalTokens: texts.length },
      };
    },
  };
}
