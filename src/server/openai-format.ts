/**
 * ChatResult / ChatEvents → OpenAI Chat Completions wire format: the JSON response, and the
 * `chat.completion.chunk` SSE frames of a stream. Frames are built by string concatenation around
 * one JSON.stringify of the `choices`, which matters on the gateway's hot path.
 */
import type { ChatEvent, ChatResult, Usage } from '../core/chat-event.js';
import type { ConduitError } from '../core/errors.js';
import { errorBody } from './http-errors.js';

export function openAIUsage(usage: Usage): Record<string, unknown> {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
  };
}

export function toChatCompletion(result: ChatResult, id: string): Record<string, unknown> {
  return {
    id: result.id || id,
    object: 'chat.completion',
    created: result.created,
    model: result.model,
    choices: result.choices.map((c) => ({
      index: c.index,
      message: {
        role: 'assistant',
        content: c.toolCalls.length > 0 && c.text === '' ? null : c.text,
        refusal: null,
        ...(c.toolCalls.length > 0 ? { tool_calls: c.toolCalls } : {}),
        ...(c.reasoning ? { reasoning_content: c.reasoning } : {}),
      },
      logprobs: c.logprobs ? { content: c.logprobs } : null,
      finish_reason: c.finishReason === 'error' ? 'stop' : c.finishReason,
    })),
    usage: openAIUsage(result.usage),
    system_fingerprint: null,
  };
}

export interface ChunkEncoder {
  /** SSE frames for an event ('' when the event produces none). */
  encode(event: ChatEvent): string;
  /** Frames that close the stream: the usage chunk (when asked for) and `[DONE]`. */
  end(): string;
  /** The error frame for a failure after the stream started. */
  error(error: ConduitError): string;
}

export function createChunkEncoder(options: {
  id: string;
  model: string;
  includeUsage: boolean;
}): ChunkEncoder {
  let prefix = '';
  let model = options.model;
  let id = options.id;
  let created = Math.floor(Date.now() / 1000);
  let usage: Usage | undefined;
  const started = new Set<number>();
  const setPrefix = () => {
    prefix = `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(model)},"system_fingerprint":null,"choices":`;
  };
  setPrefix();
  const frame = (choices: string, tail = '') => `${prefix}${choices}${tail}}\n\n`;
  /** OpenAI's first chunk of each choice carries the role. */
  const role = (index: number) => {
    if (started.has(index)) return '';
    started.add(index);
    return frame(
      `[{"index":${index},"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]`,
    );
  };

  return {
    encode(event) {
      switch (event.type) {
        case 'start':
          if (event.id) id = event.id;
          if (event.model) model = event.model;
          if (event.created) created = event.created;
          setPrefix();
          return role(0);
        case 'text-delta': {
          const index = event.choice ?? 0;
          return `${role(index)}${frame(`[{"index":${index},"delta":{"content":${JSON.stringify(event.text)}},"logprobs":null,"finish_reason":null}]`)}`;
        }
        case 'reasoning-delta': {
          const index = event.choice ?? 0;
          return `${role(index)}${frame(`[{"index":${index},"delta":{"reasoning_content":${JSON.stringify(event.text)}},"logprobs":null,"finish_reason":null}]`)}`;
        }
        case 'tool-call-delta': {
          const index = event.choice ?? 0;
          const call: Record<string, unknown> = { index: event.index };
          if (event.id) {
            call.id = event.id;
            call.type = 'function';
          }
          const fn: Record<string, string> = { arguments: event.arguments };
          if (event.name) fn.name = event.name;
          call.function = fn;
          if (event.extra) call.extra_content = event.extra;
          return `${role(index)}${frame(`[{"index":${index},"delta":{"tool_calls":[${JSON.stringify(call)}]},"logprobs":null,"finish_reason":null}]`)}`;
        }
        case 'logprobs': {
          const index = event.choice ?? 0;
          return frame(
            `[{"index":${index},"delta":{},"logprobs":${JSON.stringify({ content: event.content })},"finish_reason":null}]`,
          );
        }
        case 'finish': {
          const index = event.choice ?? 0;
          const reason = event.reason === 'error' ? 'stop' : event.reason;
          return `${role(index)}${frame(`[{"index":${index},"delta":{},"logprobs":null,"finish_reason":"${reason}"}]`)}`;
        }
        case 'usage':
          usage = event.usage;
          return '';
        case 'error':
          return '';
      }
    },
    end() {
      const usageFrame =
        options.includeUsage && usage ? frame('[]', `,"usage":${JSON.stringify(openAIUsage(usage))}`) : '';
      return `${usageFrame}data: [DONE]\n\n`;
    },
    error(error) {
      return `data: ${JSON.stringify(errorBody(error, 'openai'))}\n\n`;
    },
  };
}
