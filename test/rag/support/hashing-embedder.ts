/**
 * A deterministic EmbeddingModel for tests and offline benchmarks: feature hashing of lowercased
 * words and character trigrams into a fixed number of dimensions. It is lexical, not semantic — it
 * exists to exercise the dense and hybrid code paths (storage, fusion, MMR) without model weights,
 * and must never be reported as a real embedding model's quality.
 */
import type { EmbeddingModel } from '../../../src/core/language-model.js';
import { textTerms } from '../../../src/core/text/text-terms.js';

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

export function embedHashed(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const term of textTerms(text)) {
    const h = hash(term);
    vector[h % dimensions]! += h & 0x80000000 ? -1 : 1;
    const padded = `^${term}$`;
    for (let i = 0; i + 3 <= padded.length; i++) {
      const t = hash(padded.slice(i, i + 3));
      vector[t % dimensions]! += (t & 0x80000000 ? -1 : 1) * 0.3;
    }
  }
  return vector;
}

export interface HashingEmbedder extends EmbeddingModel {
  /** Texts embedded so far, per call. */
  readonly calls: string[][];
}

export function createHashingEmbedder(dimensions = 256, id = 'test:hashing'): HashingEmbedder {
  const calls: string[][] = [];
  return {
    id,
    provider: 'test',
    modelId: 'hashing',
    dimensions,
    maxBatchSize: 32,
    calls,
    async embed(texts) {
      calls.push([...texts]);
      return {
        embeddings: texts.map((t) => embedHashed(t, dimensions)),
        model: 'hashing',
        usage: { promptTokens: texts.length, totalTokens: texts.length },
      };
    },
  };
}
