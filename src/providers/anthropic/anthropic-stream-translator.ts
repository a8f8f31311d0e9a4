/**
 * Anthropic's streaming events → ChatEvents. Anthropic streams content blocks by position in the
 * message (text, thinking and tool_use share one index space); ChatEvents number tool calls on
 * their own from 0, as OpenAI's `tool_calls[].index` does, so the translator keeps that mapping.
 */
import type { ChatEvent, Cost, FinishReason, Usage } from '../../core/chat-event.js';
import { ConduitError } from '../../core/errors.js';
import type { SseEvent } from '../../core/sse/parse-sse.js';
import type { StreamTranslator } from '../shared/http-transport.js';
import type { AnthropicStreamEvent, AnthropicUsage } from './anthropic-api.js';
import type { JsonToolEmulation } from './convert-to-anthropic-request.js';
import { anthropicStreamError } from './map-anthropic-error.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';
import { emulatedJsonText } from './map-anthropic-response.js';
import { mapAnthropicUsage, mergeAnthropicUsage } from './map-anthropic-usage.js';

export interface AnthropicStreamTranslatorOptions {
  /** Set when the request emulated a json_schema response format with a forced tool. */
  json?: JsonToolEmulation;
  /** Prices the final usage; `model` is the one message_start named. */
  cost?: (model: string, usage: Usage) => Cost | undefined;
}

type BlockState =
  | { kind: 'text' | 'thinking' | 'ignored' }
  | { kind: 'tool'; toolIndex: number; sentArguments: boolean }
  | { kind: 'json'; buffer: string };

/**
 * @example
 * streamEvents(call, mapAnthropicError, () => createAnthropicStreamTranslator({ json }), options);
 */
export function createAnthropicStreamTranslator(
  options: AnthropicStreamTranslatorOptions = {},
): StreamTranslator {
  const blocks = new Map<number, BlockState>();
  let toolCount = 0;
  let model = '';
  let usage: AnthropicUsage = {};
  let stopReason: string | null | undefined;
  let stopped = false;

  const finish = (emit: (event: ChatEvent) => void) => {
    const reason: FinishReason = mapAnthropicFinishReason(stopReason, toolCount > 0);
    emit({ type: 'finish', reason });
    const mapped = mapAnthropicUsage(usage);
    const cost = options.cost?.(model, mapped);
    emit(cost ? { type: 'usage', usage: mapped, cost } : { type: 'usage', usage: mapped });
  };

  return {
    push(sse: SseEvent, emit) {
      const event = parseEvent(sse);
      switch (event.type) {
        case 'message_start':
          model = event.message.model;
          usage = mergeAnthropicUsage(usage, event.message.usage);
          emit({ type: 'start', id: event.message.id, model });
          break;
        case 'content_block_start': {
          const block = event.content_block as { type: string; id?: string; name?: string; text?: string };
          if (block.type === 'tool_use' && options.json && block.name === options.json.toolName) {
            blocks.set(event.index, { kind: 'json', buffer: '' });
          } else if (block.type === 'tool_use') {
            const toolIndex = toolCount++;
            blocks.set(event.index, { kind: 'tool', toolIndex, sentArguments: false });
            emit({
              type: 'tool-call-delta',
              index: toolIndex,
              id: block.id,
              name: block.name,
              arguments: '',
            });
          } else if (block.type === 'text') {
            blocks.set(event.index, { kind: 'text' });
            if (block.text) emit({ type: 'text-delta', text: block.text });
          } else if (block.type === 'thinking') {
            blocks.set(event.index, { kind: 'thinking' });
          } else {
            // redacted_thinking, server tools and their results: nothing the caller can read or run.
            blocks.set(event.index, { kind: 'ignored' });
          }
          break;
        }
        case 'content_block_delta':
          onDelta(blocks.get(event.index), event.delta as Record<string, unknown> & { type: string }, emit);
          break;
        case 'content_block_stop': {
          const block = blocks.get(event.index);
          // A call without parameters streams no fragments; OpenAI clients expect "{}", not "".
          if (block?.kind === 'tool' && !block.sentArguments) {
            emit({ type: 'tool-call-delta', index: block.toolIndex, arguments: '{}' });
          }
          if (block?.kind === 'json' && options.json?.wrapped) {
            // Unparseable input is passed on as it came: the caller's JSON parse will say what is wrong.
            const input = parseJson(block.buffer);
            const text = input === undefined ? block.buffer : emulatedJsonText(input, options.json);
            emit({ type: 'text-delta', text });
          }
          break;
        }
        case 'message_delta':
          // "One or more" message_delta events may arrive; finish and usage go out once, at message_stop.
          if (event.delta.stop_reason !== undefined) stopReason = event.delta.stop_reason;
          usage = mergeAnthropicUsage(usage, event.usage);
          break;
        case 'message_stop':
          if (!stopped) finish(emit);
          stopped = true;
          break;
        case 'error':
          throw anthropicStreamError(event.error);
        default:
          // ping, and event types added after this was written (the API's versioning policy allows it).
          break;
      }
    },
    end() {
      if (!stopped) {
        throw new ConduitError('upstream_error', 'anthropic: stream ended before message_stop', {
          provider: 'anthropic',
          retryable: true,
        });
      }
    },
  };

  function onDelta(
    block: BlockState | undefined,
    delta: Record<string, unknown> & { type: string },
    emit: (event: ChatEvent) => void,
  ) {
    if (!block) return;
    if (delta.type === 'text_delta' && block.kind === 'text') {
      emit({ type: 'text-delta', text: String(delta.text ?? '') });
    } else if (delta.type === 'thinking_delta' && block.kind === 'thinking') {
      emit({ type: 'reasoning-delta', text: String(delta.thinking ?? '') });
    } else if (delta.type === 'input_json_delta') {
      const fragment = String(delta.partial_json ?? '');
      if (fragment === '') return;
      if (block.kind === 'tool') {
        block.sentArguments = true;
        emit({ type: 'tool-call-delta', index: block.toolIndex, arguments: fragment });
      } else if (block.kind === 'json') {
        // An unwrapped answer streams as text as it arrives; a wrapped one must be whole to unwrap.
        if (options.json?.wrapped) block.buffer += fragment;
        else emit({ type: 'text-delta', text: fragment });
      }
    }
    // signature_delta and citations_delta have no ChatEvent; they are dropped.
  }
}

function parseEvent(sse: SseEvent): AnthropicStreamEvent {
  const data = parseJson(sse.data) as AnthropicStreamEvent | undefined;
  if (typeof data !== 'object' || data === null || typeof data.type !== 'string') {
    // `event: error` is the one event whose data a proxy may have replaced with something else.
    if (sse.event === 'error')
      throw anthropicStreamError({ type: 'api_error', message: sse.data.slice(0, 300) });
    throw new ConduitError(
      'invalid_response',
      `anthropic: unreadable stream event ${sse.data.slice(0, 200)}`,
      {
        provider: 'anthropic',
      },
    );
  }
  return data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
