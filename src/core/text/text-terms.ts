/**
 * Free text as terms: the one tokenisation that keyword search (every storage adapter's BM25) and
 * RAG's term overlap (MMR without embeddings, citation support) share, so a word that matches in
 * search also counts as overlap in an answer.
 */

/** Lowercased words of letters and digits, accents removed (like FTS5's `remove_diacritics 2`). */
export function textTerms(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  return folded.split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);
}

/** The distinct terms of a query, in first-seen order. */
export function uniqueQueryTerms(query: string): string[] {
  return [...new Set(textTerms(query))];
}
