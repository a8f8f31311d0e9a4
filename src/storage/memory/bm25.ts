/**
 * Okapi BM25 with the constants and IDF floor FTS5 uses (k1 = 1.2, b = 0.75), so the memory adapter
 * ranks like SQLite. Statistics cover the documents passed in (one collection).
 */
import { textTerms, uniqueQueryTerms } from '../shared/text-terms.js';

const K1 = 1.2;
const B = 0.75;

export interface Bm25Entry {
  termCounts: Map<string, number>;
  length: number;
}

export function bm25Entry(text: string): Bm25Entry {
  const termCounts = new Map<string, number>();
  const terms = textTerms(text);
  for (const term of terms) termCounts.set(term, (termCounts.get(term) ?? 0) + 1);
  return { termCounts, length: terms.length };
}

/** Scores every entry that holds at least one query term; others are left out. */
export function bm25Scores<T extends Bm25Entry>(entries: readonly T[], query: string): Map<T, number> {
  const scores = new Map<T, number>();
  const terms = uniqueQueryTerms(query);
  if (terms.length === 0 || entries.length === 0) return scores;
  const total = entries.length;
  const avgLength = entries.reduce((sum, e) => sum + e.length, 0) / total || 1;
  for (const term of terms) {
    const holders = entries.filter((e) => e.termCounts.has(term));
    if (holders.length === 0) continue;
    // FTS5 floors IDF at a tiny positive value so very common terms still count a little.
    const idf = Math.max(Math.log((total - holders.length + 0.5) / (holders.length + 0.5)), 1e-6);
    for (const entry of holders) {
      const tf = entry.termCounts.get(term) ?? 0;
      const part = (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * entry.length) / avgLength));
      scores.set(entry, (scores.get(entry) ?? 0) + part);
    }
  }
  return scores;
}
