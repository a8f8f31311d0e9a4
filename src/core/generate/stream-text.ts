/**
 * Streaming form of generateText: the same tool loop, with each step's model call streamed.
 */
import type { ChatEvent } from '../chat-event.js';
import { createStreamAccumulator } from '../collect-stream.js';
import { toConduitError } from '../errors.js';
import { createAsyncQueue } from './async-queue.js';
import type { CallModel, GenerateTextOptions, GenerateTextResult } from './generate-text.js';
import { runToolLoop } from './generate-text.js';

export interface StreamTextResult extends AsyncIterable<ChatEvent> {
  /** Resolves like generateText once the loop ends; rejects with the error that ended it. */
  result: Promise<GenerateTextResult>;
}

/**
 * Streams the events of every step of the tool loop, in order. Each step is one model stream, so it
 * begins with its own `start` and ends with its own `finish` (`tool_calls` between steps); tools run
 * between two steps, and their results are in `result` and `onStepFinish`.
 *
 * The loop runs whether or not the events are read (they are buffered), so awaiting only `result`
 * works. Errors follow the ChatEvent contract: before the first event the iteration throws; after it,
 * one `error` event ends the stream. Either way `result` rejects.
 *
 * @example
 * const run = streamText({ model, prompt: 'Weather in Oslo?', tools: { weather }, maxSteps: 3 });
 * for await (const event of run) if (event.type === 'text-delta') process.stdout.write(event.text);
 * const { steps, usage } = await run.result;
 */
export function streamText(options: GenerateTextOptions): StreamTextResult {
  const queue = createAsyncQueue<ChatEvent>();
  let emitted = false;
  let errorEventSent = false;

  const callModel: CallModel = async (request) => {
    const accumulator = createStreamAccumulator();
    for await (const event of options.model.stream(request, options.callOptions)) {
      queue.push(event);
      emitted = true;
      if (event.type === 'error') {
        errorEventSent = true;
        throw event.error;
      }
      accumulator.add(event);
    }
    return accumulator.result();
  };

  const result = runToolLoop(options, callModel).then(
    (value) => {
      queue.close();
      return value;
    },
    (error: unknown) => {
      if (errorEventSent) queue.close();
      else if (emitted) {
        queue.push({ type: 'error', error: toConduitError(error, options.model.provider) });
        queue.close();
      } else queue.fail(error);
      throw error;
    },
  );
  // Readers of the stream alone see the error there; don't let the unread promise crash the process.
  result.catch(() => {});

  return { result, [Symbol.asyncIterator]: () => queue[Symbol.asyncIterator]() };
}
