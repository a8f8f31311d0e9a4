/**
 * Anthropic usage → our Usage. Anthropic reports uncached input, cache reads and cache writes as three
 * disjoint counts; our promptTokens is their sum (as OpenAI reports it), with the cached parts also
 * given on their own so cost can price them at their own rates.
 */
import type { Usage } from '../../core/chat-event.js';
import type { AnthropicUsage } from './anthropic-api.js';

/**
 * @example
 * mapAnthropicUsage({ input_tokens: 10, cache_read_input_tokens: 90, output_tokens: 5 });
 * // { promptTokens: 100, completionTokens: 5, totalTokens: 105, cachedTokens: 90 }
 */
export function mapAnthropicUsage(usage: AnthropicUsage | undefined): Usage {
  const input = usage?.input_tokens ?? 0;
  const cacheRead = usage?.cache_read_input_tokens ?? 0;
  const cacheWrite = usage?.cache_creation_input_tokens ?? 0;
  const output = usage?.output_tokens ?? 0;
  const promptTokens = input + cacheRead + cacheWrite;
  const result: Usage = { promptTokens, completionTokens: output, totalTokens: promptTokens + output };
  if (cacheRead > 0) result.cachedTokens = cacheRead;
  if (cacheWrite > 0) result.cacheWriteTokens = cacheWrite;
  return result;
}

const USAGE_KEYS = [
  'input_tokens',
  'output_tokens',
  'cache_creation_input_tokens',
  'cache_read_input_tokens',
] as const satisfies readonly (keyof AnthropicUsage)[];

/**
 * Folds a later usage report into an earlier one. In a stream, message_start carries the input
 * counts and message_delta the cumulative output. Newer API versions repeat the input counts in
 * message_delta, older ones send null, and some compatible servers send 0; every count is cumulative,
 * so the larger value wins and a 0 or null never erases a count already known.
 */
export function mergeAnthropicUsage(
  base: AnthropicUsage,
  update: AnthropicUsage | undefined,
): AnthropicUsage {
  const merged = { ...base };
  for (const key of USAGE_KEYS) {
    const value = update?.[key];
    if (typeof value === 'number') merged[key] = Math.max(merged[key] ?? 0, value);
  }
  return merged;
}
