/**
 * sacreBLEU's score lines and reproducibility signatures, so a Conduit number can be pasted next to
 * a sacreBLEU number and read the same way (`Score.format`, `BLEUScore._verbose`, `Signature`).
 */
import type { BleuOptions, BleuScore } from './bleu/bleu.js';
import { BLEU_SMOOTH_DEFAULTS } from './bleu/bleu.js';
import type { ChrfOptions, ChrfScore } from './chrf/chrf.js';
import { pyFormatFixed } from './python-string.js';

/**
 * @example
 * formatBleuScore(score)
 * // 'BLEU = 59.46 84.6/66.7/54.5/40.0 (BP = 1.000 ratio = 1.000 hyp_len = 13 ref_len = 13)'
 */
export function formatBleuScore(
  score: BleuScore,
  options: { width?: number; signature?: string } = {},
): string {
  const precisions = score.precisions.map((p) => pyFormatFixed(p, 1)).join('/');
  const verbose =
    `${precisions} (BP = ${pyFormatFixed(score.bp, 3)} ratio = ${pyFormatFixed(score.ratio, 3)} ` +
    `hyp_len = ${score.sysLen} ref_len = ${score.refLen})`;
  const name = options.signature ? `BLEU|${options.signature}` : 'BLEU';
  return `${name} = ${pyFormatFixed(score.score, options.width ?? 2)} ${verbose}`;
}

/** @example formatChrfScore(score)   // 'chrF2 = 63.36' */
export function formatChrfScore(
  score: ChrfScore,
  options: { width?: number; signature?: string } = {},
): string {
  const name = options.signature ? `${score.name}|${options.signature}` : score.name;
  return `${name} = ${pyFormatFixed(score.score, options.width ?? 2)}`;
}

/**
 * sacreBLEU's BLEU signature without the `version` field (it names sacreBLEU's own version).
 *
 * @example
 * bleuSignature({}, 1)   // 'nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp'
 */
export function bleuSignature(options: BleuOptions, nrefs: number | 'var'): string {
  const method = options.smoothMethod ?? 'exp';
  const fallback = BLEU_SMOOTH_DEFAULTS[method];
  const smooth =
    fallback === undefined ? method : `${method}[${pyFormatFixed(options.smoothValue ?? fallback, 2)}]`;
  return [
    `nrefs:${nrefs}`,
    `case:${options.lowercase ? 'lc' : 'mixed'}`,
    `eff:${options.effectiveOrder ? 'yes' : 'no'}`,
    `tok:${options.tokenize ?? '13a'}`,
    `smooth:${smooth}`,
  ].join('|');
}

/** @example chrfSignature({ wordOrder: 2 }, 1)   // 'nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no' */
export function chrfSignature(options: ChrfOptions, nrefs: number | 'var'): string {
  return [
    `nrefs:${nrefs}`,
    `case:${options.lowercase ? 'lc' : 'mixed'}`,
    `eff:${options.epsSmoothing ? 'no' : 'yes'}`,
    `nc:${options.charOrder ?? 6}`,
    `nw:${options.wordOrder ?? 0}`,
    `space:${options.whitespace ? 'yes' : 'no'}`,
  ].join('|');
}
