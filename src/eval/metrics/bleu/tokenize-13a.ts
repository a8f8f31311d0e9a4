/**
 * sacreBLEU's default `13a` tokenizer: the tokenization of mteval-v13a.pl, the script WMT used, as
 * sacreBLEU's `Tokenizer13a` + `TokenizerRegexp` apply it. The `zh` tokenizer reuses the second half.
 */
import { pySplit } from '../python-string.js';

// Python's `re` classes written with explicit code points: under the `u` flag JavaScript rejects
// the identity escapes (`\~`, `\&`, `\@`) the original pattern uses. The class is the ASCII
// symbols and punctuation except `'`, `,`, `-` and `.`, plus the space.
const SYMBOLS = /([\x7b-\x7e\x5b-\x60\x20-\x26\x28-\x2b\x3a-\x40\x2f])/gu;
const PERIOD_COMMA_AFTER_NON_DIGIT = /([^0-9])([.,])/gu;
const PERIOD_COMMA_BEFORE_NON_DIGIT = /([.,])([^0-9])/gu;
const DASH_AFTER_DIGIT = /([0-9])(-)/gu;

/** The language-dependent regular expressions shared by `13a` and `zh` (sacreBLEU's `TokenizerRegexp`). */
export function tokenizeRegexp(line: string): string {
  const spaced = line
    .replace(SYMBOLS, ' $1 ')
    .replace(PERIOD_COMMA_AFTER_NON_DIGIT, '$1 $2 ')
    .replace(PERIOD_COMMA_BEFORE_NON_DIGIT, ' $1 $2')
    .replace(DASH_AFTER_DIGIT, '$1 $2 ');
  return pySplit(spaced).join(' ');
}

/**
 * Tokenizes one segment the way `sacrebleu --tokenize 13a` does.
 *
 * @example
 * tokenize13a('The dog bit the man.')   // 'The dog bit the man .'
 */
export function tokenize13a(line: string): string {
  let text = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (text.includes('&')) {
    text = text
      .replaceAll('&quot;', '"')
      .replaceAll('&amp;', '&')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>');
  }
  // The padding spaces are what make a sentence-final period split off after a digit ("2023.").
  return tokenizeRegexp(` ${text} `);
}
