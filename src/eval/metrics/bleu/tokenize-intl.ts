/**
 * sacreBLEU's `intl` tokenizer (mteval-v14.pl's `--international-tokenization`): split Unicode
 * punctuation off unless it sits between digits, and split every Unicode symbol off.
 */
import { pySplit } from '../python-string.js';

const PUNCT_AFTER_NON_NUMBER = /(\P{N})(\p{P})/gu;
const PUNCT_BEFORE_NON_NUMBER = /(\p{P})(\P{N})/gu;
const SYMBOL = /(\p{S})/gu;

/**
 * @example
 * tokenizeIntl('It cost 1,000.')   // 'It cost 1,000.' — the final period stays, as in mteval-v14
 */
export function tokenizeIntl(line: string): string {
  const spaced = line
    .replace(PUNCT_AFTER_NON_NUMBER, '$1 $2 ')
    .replace(PUNCT_BEFORE_NON_NUMBER, ' $1 $2')
    .replace(SYMBOL, ' $1 ');
  return pySplit(spaced).join(' ');
}
