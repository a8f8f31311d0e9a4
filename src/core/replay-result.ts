/**
 * The inverse of collectStream: the events a stream would have produced for a finished result, so a
 * cached answer can be served to a caller that asked for a stream (the gateway's response cache,
 * eval's disk cache). `collectStream(replayResult(r))` gives back `r`'s choices, usage and cost.
 */
import type { ChatEvent, ChatResult } from './chat-event.js';

export interface ReplayOptions {
  /** Response id for the `start` event; default the result's own. */
  id?: string;
  /** Split text into deltas of at most this many characters (a live-looking stream); default whole. */
  textChunkSize?: number;
}

export function* replayResult(result: ChatResult, options: ReplayOptions = {}): Generator<ChatEvent> {
  yield { type: 'start', id: options.id ?? result.id, model: result.model, created: result.created };
  for (const choice of result.choices) {
    const at = choice.index;
    if (choice.reasoning) yield { type: 'reasoning-delta', text: choice.reasoning, choice: at };
    const size = options.textChunkSize;
    if (size && choice.text.length > size) {
      for (let i = 0; i < choice.text.length; i += size) {
        yield { type: 'text-delta', text: choice.text.slice(i, i + size), choice: at };
      }
    } else if (choice.text) {
      yield { type: 'text-delta', text: choice.text, choice: at };
    }
    for (const [index, call] of choice.toolCalls.entries()) {
      yield {
        type: 'tool-call-delta',
        index,
        id: call.id,
        name: call.function.name,
        arguments: call.function.arguments,
        choice: at,
        ...(call.extra_content ? { extra: call.extra_content } : {}),
      };
    }
  }
  // Usage before the finishes, as eval's cache has always replayed it; consumers fold both orders.
  yield result.cost
    ? { type: 'usage', usage: result.usage, cost: result.cost }
    : { type: 'usage', usage: result.usage };
  for (const choice of result.choices)
    yield { type: 'finish', reason: choice.finishReason, choice: choice.index };
}
