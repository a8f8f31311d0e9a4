export {
  type CountMessageTokensOptions,
  countMessageTokens,
  countToolTokens,
} from './count-message-tokens.js';
export { type CountTokensOptions, countTokens, resolveTokenizer, type TokenCount } from './count-tokens.js';
export { encodingForModel, encodingTokenizer, TOKEN_ENCODINGS, type TokenEncoding } from './encodings.js';
export {
  estimateFactor,
  registerTokenizer,
  resetTokenizers,
  type Tokenizer,
  tokenizerFor,
  unregisterTokenizer,
} from './tokenizer.js';
export {
  type TruncateMiddleOptions,
  type TruncateMiddleResult,
  truncateMiddle,
  truncationMarker,
} from './truncate-middle.js';
