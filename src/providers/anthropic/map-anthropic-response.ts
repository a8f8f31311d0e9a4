/**
 * A Messages API response (non-streaming) → ChatResult. Content blocks are folded the way an OpenAI
 * client expects one message: text joined, tool_use blocks as tool calls, thinking as reasoning.
 */
import type { ChatResult } from '../../core/chat-event.js';
import { ConduitError } from '../../core/errors.js';
import type { ToolCall } from '../../core/messages.js';
import type { AnthropicMessage } from './anthropic-api.js';
import type { JsonToolEmulation } from './convert-to-anthropic-request.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';
import { mapAnthropicUsage } from './map-anthropic-usage.js';

/**
 * @param json how a json_schema response format was emulated, if it was: that tool's input becomes
 *   the answer text instead of a tool call.
 * @example
 * const result = mapAnthropicResponse(await response.json(), conversion.json);
 */
export function mapAnthropicResponse(message: AnthropicMessage, json?: JsonToolEmulation): ChatResult {
  if (!message || !Array.isArray(message.content)) {
    throw new ConduitError('invalid_response', 'anthropic returned a message without content', {
      provider: 'anthropic',
      details: JSON.stringify(message ?? null).slice(0, 500),
    });
  }
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCall[] = [];
  for (const block of message.content) {
    switch (block.type) {
      case 'text':
        text += (block as { text: string }).text;
        break;
      case 'thinking':
        reasoning += (block as { thinking: string }).thinking;
        break;
      case 'tool_use': {
        const use = block as { id: string; name: string; input?: unknown };
        if (json && use.name === json.toolName) text += emulatedJsonText(use.input, json);
        else {
          toolCalls.push({
            id: use.id,
            type: 'function',
            function: { name: use.name, arguments: JSON.stringify(use.input ?? {}) },
          });
        }
        break;
      }
      default:
        // redacted_thinking carries no readable text; server-tool blocks are not the caller's calls.
        break;
    }
  }
  const finishReason = mapAnthropicFinishReason(message.stop_reason, toolCalls.length > 0);
  const result: ChatResult = {
    id: message.id,
    model: message.model,
    // Anthropic does not date its messages; the time of receipt is the closest truth.
    created: Math.floor(Date.now() / 1000),
    text,
    toolCalls,
    finishReason,
    choices: [{ index: 0, text, toolCalls, finishReason, ...(reasoning ? { reasoning } : {}) }],
    usage: mapAnthropicUsage(message.usage),
  };
  if (reasoning) result.reasoning = reasoning;
  if (message.stop_reason) {
    // Kept raw: pause_turn and refusal both read as finished but ask the caller for different things.
    result.providerMetadata = {
      stopReason: message.stop_reason,
      ...(message.stop_sequence ? { stopSequence: message.stop_sequence } : {}),
    };
  }
  return result;
}

/** The answer text of an emulated json_schema call: the tool input, unwrapped if it was wrapped. */
export function emulatedJsonText(input: unknown, json: JsonToolEmulation): string {
  const value = json.wrapped ? (input as { value?: unknown } | undefined)?.value : input;
  return JSON.stringify(value ?? null);
}
