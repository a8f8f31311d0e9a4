/**
 * Anthropic `stop_reason` → our FinishReason. Shared by the JSON and the streaming paths so both
 * report the same reason for the same answer.
 */
import type { FinishReason } from '../../core/chat-event.js';

/**
 * `hasToolCalls` decides `tool_use`: when the only tool called was the json_schema answer tool (see
 * JsonToolEmulation) the caller received text, not tool calls, and the answer is complete.
 *
 * @example
 * mapAnthropicFinishReason('max_tokens', false); // 'length'
 */
export function mapAnthropicFinishReason(
  reason: string | null | undefined,
  hasToolCalls: boolean,
): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
    // A server tool (web search, code execution) paused a long turn; the answer so far is whole.
    case 'pause_turn':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return hasToolCalls ? 'tool_calls' : 'stop';
    case 'refusal':
      return 'content_filter';
    default:
      return hasToolCalls ? 'tool_calls' : 'stop';
  }
}
