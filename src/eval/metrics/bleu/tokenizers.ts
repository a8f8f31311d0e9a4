/**
 * The BLEU tokenizers by the names sacreBLEU's `--tokenize` accepts. `ja-mecab`, `ko-mecab` and the
 * SentencePiece ones (`spm`, `flores101`, `flores200`) need external models and are not offered.
 */
import { tokenize13a } from './tokenize-13a.js';
import { tokenizeIntl } from './tokenize-intl.js';
import { tokenizeZh } from './tokenize-zh.js';

export type BleuTokenizerName = '13a' | 'none' | 'intl' | 'char' | 'zh';

export const BLEU_TOKENIZERS = {
  '13a': tokenize13a,
  none: (line: string) => line,
  intl: tokenizeIntl,
  // Python iterates code points, so a character outside the BMP stays one token.
  char: (line: string) => Array.from(line).join(' '),
  zh: tokenizeZh,
} satisfies Record<BleuTokenizerName, (line: string) => string>;

export function isBleuTokenizerName(name: string): name is BleuTokenizerName {
  return Object.hasOwn(BLEU_TOKENIZERS, name);
}
