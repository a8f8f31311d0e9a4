/**
 * Output-token limit for requests that name none. OpenAI treats max_tokens as optional ("up to the
 * model's limit"); Anthropic requires it. Sending the model's own output ceiling keeps OpenAI's
 * meaning: answers are not cut short at an arbitrary number the caller never chose.
 */

/** Maximum output tokens per model family, by id prefix (published model limits, without betas). */
const MAX_OUTPUT_TOKENS: readonly (readonly [prefix: string, tokens: number])[] = [
  ['claude-opus-4-5', 64_000],
  ['claude-opus-4-1', 32_000],
  ['claude-opus-4', 32_000],
  ['claude-sonnet-4', 64_000],
  ['claude-haiku-4', 64_000],
  ['claude-3-7-sonnet', 64_000],
  ['claude-3-5-sonnet', 8_192],
  ['claude-3-5-haiku', 8_192],
  ['claude-3-opus', 4_096],
  ['claude-3-sonnet', 4_096],
  ['claude-3-haiku', 4_096],
];

/** For models the table does not know (new releases, Anthropic-compatible servers): safe everywhere. */
export const FALLBACK_MAX_TOKENS = 4_096;

/**
 * @example
 * defaultMaxTokens('claude-sonnet-4-5-20250929'); // 64000
 * defaultMaxTokens('some-compatible-model');      // 4096
 */
export function defaultMaxTokens(modelId: string): number {
  // Table order puts the longer, more specific prefix first (claude-opus-4-5 before claude-opus-4).
  for (const [prefix, tokens] of MAX_OUTPUT_TOKENS) if (modelId.startsWith(prefix)) return tokens;
  return FALLBACK_MAX_TOKENS;
}
