/**
 * A retrieved chunk: the store's hit plus how each stage scored it, so a caller (or the bench) can see
 * why it ranked where it did.
 */
import type { ChunkHit } from '../../storage/ports/document-store.js';

export type RetrievalMode = 'bm25' | 'dense' | 'hybrid';

export interface StageScores {
  /** BM25 score and 1-based rank in the BM25 list. */
  bm25?: { score: number; rank: number };
  /** Cosine similarity and 1-based rank in the vector list. */
  dense?: { score: number; rank: number };
  /** Weighted reciprocal rank fusion. */
  fused?: number;
  rerank?: number;
}

export interface RetrievedChunk extends ChunkHit {
  /** The final score the list is ordered by: of the last stage that ran. */
  score: number;
  scores: StageScores;
}

/**
 * Where a chunk sits, for people: the document title, then its heading path, without repeating a
 * heading that equals the title (`# Handbook` under the title "Handbook").
 */
export function sourcePath(title: string | null, headingPath: readonly string[]): string[] {
  const parts = [title, ...headingPath].filter((s): s is string => !!s);
  return parts.filter((s, i) => i === 0 || s !== parts[i - 1]);
}
