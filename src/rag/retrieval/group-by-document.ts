/**
 * Ranks documents instead of chunks: each document is represented by its best chunk and ordered by
 * that chunk's score (MaxP, the usual document-from-passages aggregation), so a long document with
 * many mediocre matches does not outrank a short one with a single strong match.
 */
import type { RetrievedChunk } from './retrieved-chunk.js';

export function groupByDocument(ranked: readonly RetrievedChunk[]): RetrievedChunk[] {
  const seen = new Set<string>();
  const out: RetrievedChunk[] = [];
  for (const hit of ranked) {
    if (seen.has(hit.document.id)) continue;
    seen.add(hit.document.id);
    out.push(hit);
  }
  return out;
}
