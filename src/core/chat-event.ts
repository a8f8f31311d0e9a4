/**
 * What a model returns: stream events (a small typed union) and the collected result.
 *
 * Stream contract: failures before the first event reject the iterator (so callers can retry or fall
 * back); failures after it arrive as one `error` event, after which the stream ends.
 */
import type { ConduitError } from './errors.js';
import type { ToolCall } from './messages.js';

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error';

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Prompt tokens served from the provider's prompt cache (billed at the cached rate). */
  cachedTokens?: number;
  /** Prompt tokens written to the provider's prompt cache (Anthropic cache_creation). */
  cacheWriteTokens?: number;
  /** Completion tokens spent on hidden reasoning (included in completionTokens). */
  reasoningTokens?: number;
}

export interface Cost {
  /** USD for uncached prompt tokens. */
  input: number;
  /** USD for cached prompt tokens (and cache writes). */
  cachedInput: number;
  output: number;
  total: number;
}

export interface TokenLogprob {
  token: string;
  logprob: number;
  bytes?: number[] | null;
  top_logprobs?: { token: string; logprob: number; bytes?: number[] | null }[];
}

export type ChatEvent =
  | { type: 'start'; id: string; model: string; created?: number }
  | { type: 'text-delta'; text: string; choice?: number }
  | { type: 'reasoning-delta'; text: string; choice?: number }
  | {
      type: 'tool-call-delta';
      /** Position of the call among this choice's tool calls. */
      index: number;
      id?: string;
      name?: string;
      /** A fragment of the JSON arguments; concatenate the fragments of one index. */
      arguments: string;
      choice?: number;
      /** Provider data for the call (see ToolCall.extra_content). */
      extra?: Record<string, unknown>;
    }
  | { type: 'logprobs'; content: TokenLogprob[]; choice?: number }
  | { type: 'usage'; usage: Usage; cost?: Cost }
  | { type: 'finish'; reason: FinishReason; choice?: number }
  | { type: 'error'; error: ConduitError };

export interface ChatChoice {
  index: number;
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  reasoning?: string;
  logprobs?: TokenLogprob[];
}

export interface ChatResult {
  id: string;
  /** Model that answered, as the provider names it. */
  model: string;
  created: number;
  /** Text of the first choice. */
  text: string;
  /** Tool calls of the first choice. */
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  reasoning?: string;
  choices: ChatChoice[];
  usage: Usage;
  /** USD, when the model's price is known. */
  cost?: Cost;
  /** Provider-specific extras (safety ratings, system fingerprint, ...). */
  providerMetadata?: Record<string, unknown>;
}

export function emptyUsage(): Usage {
  return { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
}
