/**
 * sacreBLEU's `zh` tokenizer: every Chinese character becomes its own token, the rest goes through
 * the 13a regular expressions.
 */
import { pyStrip } from '../python-string.js';
import { tokenizeRegexp } from './tokenize-13a.js';

/**
 * The code points sacreBLEU's `_is_chinese_char` accepts — not the ranges its table intends. The
 * table writes `u'\u20000'` and `u'\u2f800'` for code points above U+FFFF, but Python reads
 * `\u2000` + `0`, a two-character string, and compares one character against it. The effect is
 * that U+2001–U+2A6D (general punctuation, currency, arrows, math symbols, dingbats…) counts as
 * Chinese and CJK Extension B does not. These are the ranges CPython actually accepts, computed
 * by running sacreBLEU's function over every code point.
 */
const CHINESE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x2001, 0x2a6d],
  [0x2e80, 0x2fdf],
  [0x2ff0, 0x303f],
  [0x3100, 0x312f],
  [0x31a0, 0x31ef],
  [0x3200, 0x4db5],
  [0x4e00, 0x9fbb],
  [0xf900, 0xfa2d],
  [0xfa30, 0xfa6a],
  [0xfa70, 0xfad9],
  [0xfe10, 0xfe1f],
  [0xfe30, 0xfe4f],
  [0xff00, 0xffef],
];

function isChineseChar(codePoint: number): boolean {
  for (const [start, end] of CHINESE_RANGES) if (codePoint >= start && codePoint <= end) return true;
  return false;
}

/**
 * @example
 * tokenizeZh('我爱北京 ok.')   // '我 爱 北 京 ok .'
 */
export function tokenizeZh(line: string): string {
  let spaced = '';
  for (const char of pyStrip(line)) {
    spaced += isChineseChar(char.codePointAt(0)!) ? ` ${char} ` : char;
  }
  return tokenizeRegexp(spaced);
}
