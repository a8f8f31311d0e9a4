/**
 * Maximal marginal relevance (Carbonell & Goldstein, 1998): picks results one at a time, trading
 * relevance against similarity to what was already picked, so five near-identical chunks (overlap,
 * boilerplate repeated across pages) do not fill the context. Similarity is cosine over embeddings
 * when the caller has them, otherwise cosine over term counts — so MMR works in BM25-only mode too.
 */
import { textTerms } from '../../core/text/text-terms.js';
import type { RetrievedChunk } from './retrieved-chunk.js';

export interface MmrOptions {
  /** 1 = pure relevance, 0 = pure diversity; default 0.7. */
  lambda?: number;
  /** Vectors by chunk id; chunks without one fall back to term similarity. */
  embeddings?: Map<string, ArrayLike<number>>;
}

export function maximalMarginalRelevance(
  ranked: readonly RetrievedChunk[],
  k: number,
  options: MmrOptions = {},
): RetrievedChunk[] {
  const lambda = options.lambda ?? 0.7;
  if (ranked.length <= 1) return ranked.slice(0, k);
  const max = Math.max(...ranked.map((h) => h.score));
  // Relevance on 0..1 (a share of the best score) so it is comparable with cosine similarity whatever
  // the score's scale. Min-max scaling would pin the last candidate at 0 however relevant it is.
  const relevance = ranked.map((h) => (max > 0 ? Math.max(0, h.score) / max : 1));
  const vectors = ranked.map((h) => options.embeddings?.get(h.chunk.id) ?? termVector(h.chunk.text));
  const remaining = new Set(ranked.map((_, i) => i));
  const picked: number[] = [];
  const maxSim = new Array<number>(ranked.length).fill(0);
  while (picked.length < k && remaining.size > 0) {
    let best = -1;
    let bestValue = -Infinity;
    for (const i of remaining) {
      const value = lambda * relevance[i]! - (1 - lambda) * maxSim[i]!;
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    picked.push(best);
    remaining.delete(best);
    for (const i of remaining) maxSim[i] = Math.max(maxSim[i]!, similarity(vectors[i]!, vectors[best]!));
  }
  return picked.map((i) => ranked[i]!);
}

type Vector = ArrayLike<number> | Map<string, number>;

function termVector(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of textTerms(text)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

function similarity(a: Vector, b: Vector): number {
  if (a instanceof Map && b instanceof Map) {
    let dot = 0;
    for (const [term, count] of a) dot += count * (b.get(term) ?? 0);
    return dot === 0 ? 0 : dot / (norm([...a.values()]) * norm([...b.values()]));
  }
  if (a instanceof Map || b instanceof Map) return 0;
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * (b[i] ?? 0);
  const denominator = norm(a) * norm(b);
  return denominator === 0 ? 0 : dot / denominator;
}

function norm(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * values[i]!;
  return Math.sqrt(sum);
}
