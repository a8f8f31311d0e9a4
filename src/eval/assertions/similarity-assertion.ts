/**
 * `similar`: cosine similarity between the embeddings of the output and the reference (the best of
 * several references), passing at `threshold` (default 0.75, as promptfoo). Needs an embedding
 * model: `embedding.model` in the suite or `--embedding`.
 */
import type { EmbeddingModel } from '../../core/language-model.js';
import type { AssertionHandler, AssertionInput } from './assertion-types.js';
import { AssertionConfigError, quote, stringList, unitScore } from './assertion-values.js';

export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`vectors differ in length: ${a.length} and ${b.length}`);
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  const norm = Math.sqrt(normA) * Math.sqrt(normB);
  return norm === 0 ? 0 : dot / norm;
}

export function requireEmbedder(input: AssertionInput, type: string): EmbeddingModel {
  if (!input.embedder)
    throw new AssertionConfigError(
      `${type} needs an embedding model: set embedding.model in the suite or pass --embedding`,
    );
  return input.embedder;
}

export const similar: AssertionHandler = async (spec, input) => {
  const embedder = requireEmbedder(input, spec.type);
  const references = stringList(spec);
  const { embeddings } = await embedder.embed([input.output, ...references], {
    ...(input.signal ? { signal: input.signal } : {}),
  });
  const [outputVector, ...referenceVectors] = embeddings;
  let best = { similarity: Number.NEGATIVE_INFINITY, index: 0 };
  referenceVectors.forEach((vector, index) => {
    const similarity = cosineSimilarity(outputVector!, vector);
    if (similarity > best.similarity) best = { similarity, index };
  });
  const threshold = spec.threshold ?? 0.75;
  const pass = best.similarity >= threshold;
  return {
    pass,
    score: unitScore(best.similarity),
    value: best.similarity,
    reason: `cosine ${best.similarity.toFixed(3)} ${pass ? '≥' : '<'} ${threshold} to ${quote(references[best.index]!, 40)}`,
  };
};
