/**
 * Weighted reciprocal rank fusion (Cormack et al., 2009): score = Σ weight / (k + rank). It needs no
 * score calibration between BM25 (unbounded) and cosine (−1…1), which is why hybrid search uses it.
 * `k` = 60 is the paper's constant; weights let one list count more than the other.
 */
import type { ChunkHit } from '../../storage/ports/document-store.js';
import type { RetrievedChunk } from './retrieved-chunk.js';

export interface RankedList {
  name: 'bm25' | 'dense';
  hits: ChunkHit[];
  weight: number;
}

export function reciprocalRankFusion(lists: RankedList[], k = 60): RetrievedChunk[] {
  const fused = new Map<string, RetrievedChunk>();
  for (const list of lists) {
    for (const [index, hit] of list.hits.entries()) {
      const rank = index + 1;
      let entry = fused.get(hit.chunk.id);
      if (!entry) {
        entry = { ...hit, score: 0, scores: { fused: 0 } };
        fused.set(hit.chunk.id, entry);
      }
      entry.scores[list.name] = { score: hit.score, rank };
      entry.scores.fused = (entry.scores.fused ?? 0) + list.weight / (k + rank);
      entry.score = entry.scores.fused;
    }
  }
  // Ties (same fused score) go to the better best-rank, then to the chunk id for a stable order.
  const bestRank = (c: RetrievedChunk) =>
    Math.min(c.scores.bm25?.rank ?? Infinity, c.scores.dense?.rank ?? Infinity);
  return [...fused.values()].sort(
    (a, b) => b.score - a.score || bestRank(a) - bestRank(b) || a.chunk.id.localeCompare(b.chunk.id),
  );
}

/** One list as retrieved chunks, keeping its own scores (no fusion needed). */
export function singleList(list: RankedList): RetrievedChunk[] {
  return list.hits.map((hit, index) => ({
    ...hit,
    scores: { [list.name]: { score: hit.score, rank: index + 1 } },
  }));
}
