/**
 * rouge-score's default tokenizer (`rouge_score/tokenize.py`): lowercase, every run of characters
 * outside a-z0-9 becomes a space, split, optionally Porter-stem tokens longer than three characters,
 * keep only non-empty a-z0-9 tokens.
 */
import { porterStem } from './porter-stemmer.js';

const NON_ALPHANUMERIC = /[^a-z0-9]+/g;
const VALID_TOKEN = /^[a-z0-9]+$/;

/**
 * @example
 * tokenizeRouge('The friends had a meeting', { useStemmer: true })
 * // ['the', 'friend', 'had', 'a', 'meet']
 */
export function tokenizeRouge(text: string, options: { useStemmer?: boolean } = {}): string[] {
  const tokens = text.toLowerCase().replace(NON_ALPHANUMERIC, ' ').split(' ');
  const out: string[] = [];
  for (const token of tokens) {
    // rouge-score leaves tokens of three characters or fewer unstemmed ("has" stays "has").
    const stemmed = options.useStemmer && token.length > 3 ? porterStem(token) : token;
    if (VALID_TOKEN.test(stemmed)) out.push(stemmed);
  }
  return out;
}
