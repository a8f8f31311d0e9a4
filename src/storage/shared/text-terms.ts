/**
 * Turns free text into search terms. Queries come from users, so nothing in them is syntax: every
 * word becomes a quoted FTS5 string and punctuation, `AND`, `NEAR(`, `*` or quotes cannot break the
 * query. The memory adapter tokenises documents with the same rules.
 */

/** Lowercased words of letters and digits, accents removed (like FTS5's `remove_diacritics 2`). */
export function textTerms(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  return folded.split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);
}

export function uniqueQueryTerms(query: string): string[] {
  return [...new Set(textTerms(query))];
}

/** An FTS5 MATCH expression that matches any term, or null when the query has no words. */
export function ftsMatchExpression(query: string): string | null {
  const terms = uniqueQueryTerms(query);
  if (terms.length === 0) return null;
  return terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(' OR ');
}
