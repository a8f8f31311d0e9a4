/**
 * OpenAI's BPE encodings, from the maintained gpt-tokenizer package, loaded on first use.
 *
 * Each encoding's rank table is megabytes of JavaScript; most processes (a gateway that only proxies)
 * never count tokens, so nothing is loaded at import time. The loading is synchronous (createRequire on
 * the package's CommonJS build) so `countTokens` can stay a plain function that a hot path can call.
 */
import { createRequire } from 'node:module';
import { normalizeModelId } from '../cost/model-match.js';
import type { Tokenizer } from './tokenizer.js';

export type TokenEncoding = 'o200k_base' | 'cl100k_base';

export const TOKEN_ENCODINGS: readonly TokenEncoding[] = ['o200k_base', 'cl100k_base'];

interface BpeModule {
  encode(text: string, options?: { disallowedSpecial?: Set<string> }): number[];
  decode(ids: Iterable<number>): string;
}

const require = createRequire(import.meta.url);
const loaded = new Map<TokenEncoding, Tokenizer>();

// Literal specifiers, so bundlers and `npm ls` see both dependencies.
function load(encoding: TokenEncoding): BpeModule {
  switch (encoding) {
    case 'o200k_base':
      return require('gpt-tokenizer/encoding/o200k_base') as BpeModule;
    case 'cl100k_base':
      return require('gpt-tokenizer/encoding/cl100k_base') as BpeModule;
  }
}

// Text such as "<|endoftext|>" inside a message is ordinary text to the API, not a control token, so it
// is encoded as text (the library's default is to throw on it).
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** The exact tokenizer for an OpenAI encoding. */
export function encodingTokenizer(encoding: TokenEncoding): Tokenizer {
  let tokenizer = loaded.get(encoding);
  if (!tokenizer) {
    const bpe = load(encoding);
    tokenizer = {
      name: encoding,
      exact: true,
      encode: (text) => bpe.encode(text, PLAIN_TEXT),
      decode: (ids) => bpe.decode(ids),
      count: (text) => (text.length === 0 ? 0 : bpe.encode(text, PLAIN_TEXT).length),
    };
    loaded.set(encoding, tokenizer);
  }
  return tokenizer;
}

const O200K =
  /^(?:gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|gpt-oss|omni-moderation|codex-mini|computer-use)(?:$|[-.:@_])/;
const CL100K = /^(?:gpt-4|gpt-3\.5|gpt-35|text-embedding-3|text-embedding-ada-002)(?:$|[-.:@_])/;

/**
 * The encoding an OpenAI model uses (o200k_base for gpt-4o, gpt-4.1, gpt-4.5, gpt-5 and the o-series;
 * cl100k_base for gpt-4, gpt-3.5 and the embedding models), or undefined for any other model.
 */
export function encodingForModel(model: string): TokenEncoding | undefined {
  const { id } = normalizeModelId(model);
  const bare = id.slice(id.lastIndexOf('/') + 1);
  if (O200K.test(bare)) return 'o200k_base';
  if (CL100K.test(bare)) return 'cl100k_base';
  return undefined;
}
