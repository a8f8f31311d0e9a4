/**
 * The reranking port: anything that reorders passages for a query — a language model asked for a
 * listwise ranking (llm-reranker.ts), a provider's rerank endpoint (http-reranker.ts), or a local
 * cross-encoder later. Retrieval applies it to the top candidates and keeps the rest behind them.
 */
import type { CallOptions } from '../../core/language-model.js';
import type { RetrievedChunk } from './retrieved-chunk.js';

export interface RerankScore {
  /** Position of the passage in the input. */
  index: number;
  /** Higher is more relevant; comparable only within one call. */
  score: number;
}

export interface Reranker {
  readonly id: string;
  /** Scores for some or all passages, most relevant first; passages left out rank after them. */
  rerank(query: string, passages: string[], options?: CallOptions): Promise<RerankScore[]>;
}

/** Reorders the first `top` chunks by the reranker; the rest keep their order behind them. */
export async function applyReranker(
  reranker: Reranker,
  query: string,
  ranked: RetrievedChunk[],
  top: number,
  options?: CallOptions,
): Promise<RetrievedChunk[]> {
  const head = ranked.slice(0, top);
  if (head.length === 0) return ranked;
  const scores = await reranker.rerank(
    query,
    head.map((h) => h.chunk.text),
    options,
  );
  const used = new Set<number>();
  const out: RetrievedChunk[] = [];
  for (const { index, score } of [...scores].sort((a, b) => b.score - a.score)) {
    const hit = head[index];
    if (!hit || used.has(index)) continue;
    used.add(index);
    out.push({ ...hit, score, scores: { ...hit.scores, rerank: score } });
  }
  const floor = out.length > 0 ? Math.min(...out.map((h) => h.score)) : 0;
  // Passages the reranker left out keep their order, scored below every reranked one.
  head.forEach((hit, index) => {
    if (!used.has(index)) out.push({ ...hit, score: floor - 1 - index / head.length });
  });
  return [...out, ...ranked.slice(top).map((hit) => ({ ...hit, score: floor - 2 }))];
}
