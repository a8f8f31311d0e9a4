/**
 * ChatResult / ChatEvents → Anthropic Messages wire format: the JSON message and the SSE events
 * (message_start, content_block_start/delta/stop, message_delta, message_stop) that Anthropic's SDK
 * folds back into a message.
 */
import type { ChatEvent, ChatResult, FinishReason, Usage } from '../../core/chat-event.js';
import type { ConduitError } from '../../core/errors.js';
import { errorBody } from '../http-errors.js';

export function anthropicStopReason(reason: FinishReason): string {
  switch (reason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}

export function anthropicUsage(usage: Usage): Record<string, number> {
  const cached = usage.cachedTokens ?? 0;
  const written = usage.cacheWriteTokens ?? 0;
  return {
    input_tokens: Math.max(0, usage.promptTokens - cached - written),
    output_tokens: usage.completionTokens,
    cache_read_input_tokens: cached,
    cache_creation_input_tokens: written,
  };
}

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return {};
  }
}

export function toAnthropicMessage(result: ChatResult, id: string): Record<string, unknown> {
  const content: Record<string, unknown>[] = [];
  if (result.text) content.push({ type: 'text', text: result.text });
  for (const call of result.toolCalls) {
    content.push({
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: parseArguments(call.function.arguments),
    });
  }
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: result.model,
    content,
    stop_reason: anthropicStopReason(result.finishReason),
    stop_sequence: null,
    usage: anthropicUsage(result.usage),
  };
}

export interface AnthropicEventEncoder {
  encode(event: ChatEvent): string;
  end(): string;
  error(error: ConduitError): string;
}

const sse = (type: string, data: Record<string, unknown>) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

export function createAnthropicEncoder(options: { id: string; model: string }): AnthropicEventEncoder {
  let started = false;
  let blockIndex = -1;
  let openBlock: 'text' | 'tool' | undefined;
  const toolBlocks = new Map<number, number>();
  let stopReason = 'end_turn';
  let usage: Usage | undefined;
  let model = options.model;

  const start = () => {
    if (started) return '';
    started = true;
    return (
      sse('message_start', {
        message: {
          id: options.id,
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 0, output_tokens: 0 },
        },
      }) + sse('ping', {})
    );
  };
  const close = () => {
    if (openBlock === undefined) return '';
    openBlock = undefined;
    return sse('content_block_stop', { index: blockIndex });
  };

  return {
    encode(event) {
      if ('choice' in event && (event.choice ?? 0) !== 0) return '';
      switch (event.type) {
        case 'start':
          model = event.model || model;
          return start();
        case 'text-delta': {
          let out = start();
          if (openBlock !== 'text') {
            out += close();
            blockIndex++;
            openBlock = 'text';
            out += sse('content_block_start', {
              index: blockIndex,
              content_block: { type: 'text', text: '' },
            });
          }
          return (
            out +
            sse('content_block_delta', { index: blockIndex, delta: { type: 'text_delta', text: event.text } })
          );
        }
        case 'tool-call-delta': {
          let out = start();
          let index = toolBlocks.get(event.index);
          if (index === undefined) {
            out += close();
            blockIndex++;
            index = blockIndex;
            toolBlocks.set(event.index, index);
            openBlock = 'tool';
            out += sse('content_block_start', {
              index,
              content_block: {
                type: 'tool_use',
                id: event.id ?? `toolu_${event.index}`,
                name: event.name ?? '',
                input: {},
              },
            });
          }
          if (!event.arguments) return out;
          return (
            out +
            sse('content_block_delta', {
              index,
              delta: { type: 'input_json_delta', partial_json: event.arguments },
            })
          );
        }
        case 'finish':
          stopReason = anthropicStopReason(event.reason);
          return '';
        case 'usage':
          usage = event.usage;
          return '';
        default:
          return '';
      }
    },
    end() {
      return (
        start() +
        close() +
        sse('message_delta', {
          delta: { stop_reason: stopReason, stop_sequence: null },
          usage: usage ? anthropicUsage(usage) : { output_tokens: 0 },
        }) +
        sse('message_stop', {})
      );
    },
    error(error) {
      return `event: error\ndata: ${JSON.stringify(errorBody(error, 'anthropic'))}\n\n`;
    },
  };
}
