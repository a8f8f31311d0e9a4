/**
 * `streamGenerateContent?alt=sse` → ChatEvents. Each SSE `data:` is a whole GenerateContentResponse
 * holding only the new parts, so text maps to deltas directly and a function call arrives complete
 * (one tool-call-delta per call). Gemini sends no end-of-stream marker: a stream is complete when
 * every candidate it mentioned has a finishReason, and one cut short before that is an error.
 */
import type { ChatEvent, Cost, Usage } from '../../core/chat-event.js';
import { ConduitError } from '../../core/errors.js';
import type { SseEvent } from '../../core/sse/parse-sse.js';
import type { StreamTranslator } from '../shared/http-transport.js';
import type { GeminiCandidate, GeminiResponse, GeminiUsageMetadata } from './gemini-api.js';
import { geminiError } from './map-gemini-error.js';
import {
  geminiToolCallId,
  generatedResponseId,
  mapGeminiFinishReason,
  mapGeminiLogprobs,
  mapGeminiUsage,
  promptBlockedError,
} from './map-gemini-response.js';

export interface GeminiStreamOptions {
  /** Model id as configured; the stream's `modelVersion` wins when present. */
  requestedModel: string;
  /** Prices the final usage; injected so the translator stays a pure function of its input. */
  cost?: (model: string, usage: Usage) => Cost | undefined;
}

/**
 * @example
 * streamEvents(call, mapGeminiError, () => createGeminiStreamTranslator({ requestedModel: 'gemini-2.5-flash' }));
 */
export function createGeminiStreamTranslator(options: GeminiStreamOptions): StreamTranslator {
  let started = false;
  let model = options.requestedModel;
  let usage: GeminiUsageMetadata | undefined;
  /** Function calls emitted so far, per candidate: the next call's index. */
  const toolCounts = new Map<number, number>();
  const finished = new Set<number>();

  const candidate = (c: GeminiCandidate, position: number, emit: (event: ChatEvent) => void) => {
    const choice = c.index ?? position;
    if (!toolCounts.has(choice)) toolCounts.set(choice, 0);
    for (const part of c.content?.parts ?? []) {
      if (part.functionCall) {
        const index = toolCounts.get(choice)!;
        toolCounts.set(choice, index + 1);
        emit({
          type: 'tool-call-delta',
          index,
          id: geminiToolCallId(index),
          name: part.functionCall.name,
          arguments: JSON.stringify(part.functionCall.args ?? {}),
          choice,
          ...(part.thoughtSignature
            ? { extra: { google: { thought_signature: part.thoughtSignature } } }
            : {}),
        });
      } else if (part.text) {
        emit({ type: part.thought ? 'reasoning-delta' : 'text-delta', text: part.text, choice });
      }
    }
    const logprobs = mapGeminiLogprobs(c);
    if (logprobs) emit({ type: 'logprobs', content: logprobs, choice });
    if (c.finishReason && !finished.has(choice)) {
      finished.add(choice);
      emit({
        type: 'finish',
        reason: mapGeminiFinishReason(c.finishReason, toolCounts.get(choice)! > 0),
        choice,
      });
    }
  };

  return {
    push(sse: SseEvent, emit: (event: ChatEvent) => void) {
      if (sse.data.trim() === '') return;
      let chunk: GeminiResponse;
      try {
        chunk = JSON.parse(sse.data) as GeminiResponse;
      } catch (cause) {
        throw new ConduitError('invalid_response', 'google sent a stream chunk that is not JSON', {
          provider: 'google',
          cause,
          details: sse.data.slice(0, 300),
        });
      }
      if (chunk.error) throw geminiError(chunk.error);
      // A blocked prompt comes as a chunk with feedback and no candidates (sometimes after text).
      if (chunk.promptFeedback?.blockReason) throw promptBlockedError(chunk.promptFeedback);
      if (!started) {
        started = true;
        if (chunk.modelVersion) model = chunk.modelVersion;
        emit({
          type: 'start',
          id: chunk.responseId ?? generatedResponseId(),
          model,
          created: Math.floor(Date.now() / 1000),
        });
      }
      const candidates = chunk.candidates ?? [];
      for (let i = 0; i < candidates.length; i++) candidate(candidates[i]!, i, emit);
      // Each chunk repeats the running totals; the last one is the bill.
      if (chunk.usageMetadata) usage = chunk.usageMetadata;
    },

    end(emit: (event: ChatEvent) => void) {
      const unfinished = [...toolCounts.keys()].filter((choice) => !finished.has(choice));
      if (!started || finished.size === 0 || unfinished.length > 0) {
        throw new ConduitError(
          'upstream_error',
          'google: the stream ended before Gemini finished its answer',
          {
            provider: 'google',
            retryable: true,
          },
        );
      }
      const total = mapGeminiUsage(usage);
      const cost = options.cost?.(model, total);
      emit(cost ? { type: 'usage', usage: total, cost } : { type: 'usage', usage: total });
    },
  };
}
