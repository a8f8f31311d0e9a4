/**
 * Content words for overlap scoring (extractive answers, inferred citation support): lowercased
 * words without stopwords, lightly stemmed so "panels" meets "panel" and "cleaning" meets "clean".
 */
import { textTerms } from '../../core/text/text-terms.js';

const STOPWORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in into is it its ' +
    'may might must no not of on or our should so than that the their them then there these they this those ' +
    'to was we were what when where which while who whom why will with would you your about after all also ' +
    'any before between both each few more most other some such only own same too very just over under again'
  ).split(' '),
);

function stem(term: string): string {
  if (term.length > 5 && term.endsWith('ing')) return term.slice(0, -3);
  if (term.length > 4 && term.endsWith('ed')) return term.slice(0, -2);
  if (term.length > 4 && term.endsWith('es')) return term.slice(0, -2);
  if (term.length > 3 && term.endsWith('s') && !term.endsWith('ss')) return term.slice(0, -1);
  return term;
}

export function contentTerms(text: string): Set<string> {
  const out = new Set<string>();
  for (const term of textTerms(text)) {
    if (STOPWORDS.has(term) || (term.length < 3 && !/\d/.test(term))) continue;
    out.add(stem(term));
  }
  return out;
}

/** Share of `claim`'s content words that `candidate` contains (0…1). */
export function coverage(claim: Set<string>, candidate: Set<string>): number {
  if (claim.size === 0) return 0;
  let hit = 0;
  for (const term of claim) if (candidate.has(term)) hit++;
  return hit / claim.size;
}
