/**
 * What a chat request may use before it runs, for the reservations of budgets and token limits: its
 * prompt (≈ 4 characters of the messages' and tools' JSON a token — cheap enough for every request,
 * and an overestimate for most text) plus its output limit for every choice. A request without
 * `max_tokens` reserves `DEFAULT_RESERVED_OUTPUT_TOKENS` of output per choice; what it does not use
 * goes back when it ends.
 */
import type { ChatRequest } from '../../core/chat-request.js';
import { maxOutputTokens } from '../../core/chat-request.js';

/** Output tokens reserved for a request that sets no `max_tokens` (per choice). */
export const DEFAULT_RESERVED_OUTPUT_TOKENS = 1024;

export interface RequestEstimate {
  promptTokens: number;
  outputTokens: number;
}

export function estimateRequest(request: ChatRequest): RequestEstimate {
  const chars =
    JSON.stringify(request.messages).length + (request.tools ? JSON.stringify(request.tools).length : 0);
  const choices = Math.max(1, request.n ?? 1);
  return {
    promptTokens: chars / 4,
    outputTokens: (maxOutputTokens(request) ?? DEFAULT_RESERVED_OUTPUT_TOKENS) * choices,
  };
}
