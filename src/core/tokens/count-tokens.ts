/**
 * Counting the tokens of a text for a model, saying whether the count is exact or an estimate.
 *
 * @example
 * countTokens('hello world', { model: 'gpt-4o' });          // { tokens: 2, exact: true, tokenizer: 'o200k_base' }
 * countTokens('hello world', { model: 'claude-sonnet-4-5' }); // { tokens: 3, exact: false, tokenizer: 'estimate: …' }
 */
import { encodingTokenizer, type TokenEncoding } from './encodings.js';
import { type Tokenizer, tokenizerFor } from './tokenizer.js';

export interface TokenCount {
  tokens: number;
  /** False when the count comes from another model's tokenizer (see docs/tokens-and-cost.md). */
  exact: boolean;
  /** What counted it: an encoding name, a registered tokenizer's name, or "estimate: …". */
  tokenizer: string;
}

export interface CountTokensOptions {
  /** Model to count for; selects a registered tokenizer, its OpenAI encoding, or an estimate. */
  model?: string;
  /** Forces an OpenAI encoding (wins over `model`). */
  encoding?: TokenEncoding;
}

/** The tokenizer these options select. */
export function resolveTokenizer(options: CountTokensOptions = {}): Tokenizer {
  return options.encoding ? encodingTokenizer(options.encoding) : tokenizerFor(options.model);
}

export function tokenizerLabel(tokenizer: Tokenizer, options: CountTokensOptions = {}): string {
  return tokenizer.name ?? options.model ?? 'custom';
}

export function countTokens(text: string, options: CountTokensOptions = {}): TokenCount {
  const tokenizer = resolveTokenizer(options);
  return {
    tokens: tokenizer.count(text),
    exact: tokenizer.exact,
    tokenizer: tokenizerLabel(tokenizer, options),
  };
}
