/**
 * Shortens a text to a token budget by cutting its middle, where long documents, logs and tool output
 * usually carry the least: the opening says what it is, the end holds the latest state or the question.
 *
 * @example
 * truncateMiddle(longLog, 200, { model: 'gpt-4o' }).text;
 * // "…first ~100 tokens…\n…[truncated 5234 tokens]…\n…last ~100 tokens…"
 */
import { type CountTokensOptions, resolveTokenizer } from './count-tokens.js';
import type { Tokenizer } from './tokenizer.js';

export interface TruncateMiddleOptions extends CountTokensOptions {
  /** Tokenizer to cut with; defaults to the one `model`/`encoding` select. */
  tokenizer?: Tokenizer;
}

export interface TruncateMiddleResult {
  text: string;
  /** Tokens cut out (0 when the text already fit). */
  removedTokens: number;
}

export function truncationMarker(removedTokens: number): string {
  return `\n…[truncated ${removedTokens} tokens]…\n`;
}

// A cut between the bytes of one character decodes to U+FFFD; drop those half characters.
function trimBroken(text: string): string {
  return text.replace(/^\uFFFD+/, '').replace(/\uFFFD+$/, '');
}

/**
 * Keeps the start and end of `text` within `maxTokens` tokens, marker included. A budget smaller than
 * the marker itself yields just the marker.
 */
export function truncateMiddle(
  text: string,
  maxTokens: number,
  options: TruncateMiddleOptions = {},
): TruncateMiddleResult {
  const tokenizer = options.tokenizer ?? resolveTokenizer(options);
  const total = tokenizer.count(text);
  if (total <= maxTokens) return { text, removedTokens: 0 };
  const ids = tokenizer.encode(text);
  // Estimating tokenizers count more tokens than they have ids; budget in ids.
  const perId = total / Math.max(1, ids.length);
  const markerTokens = tokenizer.count(truncationMarker(total));
  let keep = Math.floor((maxTokens - markerTokens) / perId);
  for (;;) {
    keep = Math.max(0, Math.min(keep, ids.length - 1));
    const headIds = Math.ceil(keep / 2);
    const tailIds = keep - headIds;
    const head = trimBroken(tokenizer.decode(ids.slice(0, headIds)));
    const tail = tailIds > 0 ? trimBroken(tokenizer.decode(ids.slice(ids.length - tailIds))) : '';
    const removedTokens = Math.max(1, total - tokenizer.count(head) - tokenizer.count(tail));
    const out = head + truncationMarker(removedTokens) + tail;
    const used = tokenizer.count(out);
    // Tokens can merge across the seams, so check the result and shrink until it fits.
    if (used <= maxTokens || keep === 0) return { text: out, removedTokens };
    keep -= Math.max(1, Math.ceil((used - maxTokens) / perId));
  }
}
