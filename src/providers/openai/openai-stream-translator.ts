/**
 * OpenAI `chat.completion.chunk` SSE → ChatEvents. Stateful per stream: it remembers whether the
 * response started, which choices finished, and whether `[DONE]` arrived, so a stream cut short is
 * reported as an error instead of passing for a complete answer.
 */
import type { ChatEvent, Cost, Usage } from '../../core/chat-event.js';
import { ConduitError } from '../../core/errors.js';
import type { SseEvent } from '../../core/sse/parse-sse.js';
import type { StreamTranslator } from '../shared/http-transport.js';
import { mapOpenAIError } from './map-openai-error.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { mapOpenAIUsage } from './map-openai-usage.js';
import type { OpenAIChatCompletion } from './openai-api.js';

export interface OpenAIStreamOptions {
  provider: string;
  requestedModel: string;
  cost?: (model: string, usage: Usage) => Cost | undefined;
}

export function createOpenAIStreamTranslator(options: OpenAIStreamOptions): StreamTranslator {
  let started = false;
  let done = false;
  let finished = 0;
  let model = options.requestedModel;
  const toolSeen = new Set<number>();

  return {
    push(sse: SseEvent, emit: (event: ChatEvent) => void) {
      if (sse.data === '[DONE]') {
        done = true;
        return;
      }
      if (sse.data.length === 0) return;
      let chunk: OpenAIChatCompletion;
      try {
        chunk = JSON.parse(sse.data) as OpenAIChatCompletion;
      } catch (cause) {
        throw new ConduitError(
          'invalid_response',
          `${options.provider} sent a stream chunk that is not JSON`,
          {
            provider: options.provider,
            cause,
            details: sse.data.slice(0, 300),
          },
        );
      }
      if (chunk.error) {
        const status =
          typeof chunk.error === 'object' && typeof chunk.error.code === 'number' ? chunk.error.code : 500;
        throw mapOpenAIError(options.provider)(status, JSON.stringify({ error: chunk.error }), {});
      }
      if (!started) {
        started = true;
        if (chunk.model) model = chunk.model;
        emit({ type: 'start', id: chunk.id ?? '', model, created: chunk.created });
      }
      const choices = chunk.choices;
      if (choices) {
        for (let i = 0; i < choices.length; i++) {
          const choice = choices[i]!;
          const index = choice.index ?? i;
          const delta = choice.delta;
          if (delta) {
            if (delta.content) emit({ type: 'text-delta', text: delta.content, choice: index });
            const reasoning = delta.reasoning_content ?? delta.reasoning;
            if (reasoning) emit({ type: 'reasoning-delta', text: reasoning, choice: index });
            if (delta.refusal) emit({ type: 'text-delta', text: delta.refusal, choice: index });
            if (delta.tool_calls) {
              for (let t = 0; t < delta.tool_calls.length; t++) {
                const call = delta.tool_calls[t]!;
                const callIndex = call.index ?? t;
                toolSeen.add(index);
                emit({
                  type: 'tool-call-delta',
                  index: callIndex,
                  id: call.id,
                  name: call.function?.name,
                  arguments: call.function?.arguments ?? '',
                  choice: index,
                });
              }
            }
          }
          if (choice.logprobs?.content?.length) {
            emit({ type: 'logprobs', content: choice.logprobs.content, choice: index });
          }
          if (choice.finish_reason) {
            finished++;
            emit({
              type: 'finish',
              reason: mapOpenAIFinishReason(choice.finish_reason, toolSeen.has(index)),
              choice: index,
            });
          }
        }
      }
      const rawUsage = chunk.usage ?? chunk.x_groq?.usage;
      if (rawUsage) {
        const usage = mapOpenAIUsage(rawUsage);
        const cost = options.cost?.(model, usage);
        emit(cost ? { type: 'usage', usage, cost } : { type: 'usage', usage });
      }
    },
    end() {
      if (!done && finished === 0) {
        throw new ConduitError(
          'upstream_error',
          `${options.provider} stream ended before the response was complete`,
          {
            provider: options.provider,
            retryable: true,
          },
        );
      }
    },
  };
}
