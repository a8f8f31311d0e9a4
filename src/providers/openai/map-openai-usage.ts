import type { Usage } from '../../core/chat-event.js';
import type { OpenAIUsage } from './openai-api.js';

/** OpenAI usage → ours (cached and reasoning tokens kept; both are already inside the totals). */
export function mapOpenAIUsage(usage: OpenAIUsage): Usage {
  const promptTokens = usage.prompt_tokens ?? 0;
  const completionTokens = usage.completion_tokens ?? 0;
  const out: Usage = {
    promptTokens,
    completionTokens,
    totalTokens: usage.total_tokens ?? promptTokens + completionTokens,
  };
  const cached = usage.prompt_tokens_details?.cached_tokens ?? usage.prompt_cache_hit_tokens;
  if (cached) out.cachedTokens = cached;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (reasoning) out.reasoningTokens = reasoning;
  return out;
}
