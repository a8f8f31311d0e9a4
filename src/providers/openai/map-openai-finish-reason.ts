import type { FinishReason } from '../../core/chat-event.js';

/** OpenAI finish reasons (and the variants compatible servers send) → ours. */
export function mapOpenAIFinishReason(
  reason: string | null | undefined,
  hasToolCalls: boolean,
): FinishReason {
  switch (reason) {
    case 'length':
    case 'max_tokens':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    case 'error':
      return 'error';
    default:
      return hasToolCalls ? 'tool_calls' : 'stop';
  }
}
