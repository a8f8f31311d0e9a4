/**
 * Turns free text into search terms. Queries come from users, so nothing in them is syntax: every
 * word becomes a quoted FTS5 string and punctuation, `AND`, `NEAR(`, `*` or quotes cannot break the
 * query. The memory adapter tokenises documents with the same rules (core's `textTerms`).
 */
import { uniqueQueryTerms } from '../../core/text/text-terms.js';

export { textTerms, uniqueQueryTerms } from '../../core/text/text-terms.js';

/** An FTS5 MATCH expression that matches any term, or null when the query has no words. */
export function ftsMatchExpression(query: string): string | null {
  const terms = uniqueQueryTerms(query);
  if (terms.length === 0) return null;
  return terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(' OR ');
}
