/**
 * Streaming structured output: partial objects while the JSON arrives, a validated object at the end.
 */
import type { Cost, Usage } from '../chat-event.js';
import { createStreamAccumulator } from '../collect-stream.js';
import { createAsyncQueue } from './async-queue.js';
import type { ObjectOptions } from './object-strategy.js';
import { createObjectStrategy, invalidObjectError } from './object-strategy.js';
import { parseObjectText, stripOpeningFence } from './parse-object-text.js';
import { parsePartialJson } from './partial-json.js';
import { dropNullOptionals } from './strict-json-schema.js';

/** What a partial object can look like: any property may still be missing. */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

export type StreamObjectOptions<T> = ObjectOptions<T>;

export interface StreamObjectResult<T> {
  /** A new partial object each time the parsed prefix changes. Single consumer. */
  partialObjectStream: AsyncIterable<DeepPartial<T>>;
  /** The validated object; rejects with `ConduitError('invalid_response')` carrying the issues. */
  object: Promise<T>;
  usage: Promise<Usage>;
  /** Undefined when the model has no price. */
  cost: Promise<Cost | undefined>;
}

const noop = () => {};

/**
 * Streams an object that matches a zod schema, choosing the mode as generateObject does. Partials are
 * not validated (a prefix rarely is valid); strings grow, members appear, numbers show once complete.
 * There is no repair round: the output has already been streamed to the consumer, so an invalid final
 * object rejects `object` (the partial stream just ends). A model or network error ends the partial
 * stream with that error and rejects every promise.
 *
 * The stream runs whether or not the partials are read, so awaiting only `object` works.
 *
 * @example
 * const { partialObjectStream, object } = streamObject({ model, schema: Recipe, prompt: 'A soup recipe' });
 * for await (const partial of partialObjectStream) render(partial.steps ?? []);
 * const recipe = await object;
 */
export function streamObject<T>(options: StreamObjectOptions<T>): StreamObjectResult<T> {
  const { model, schema, callOptions } = options;
  const queue = createAsyncQueue<DeepPartial<T>>();

  const run = (async () => {
    const strategy = createObjectStrategy(options);
    const accumulator = createStreamAccumulator();
    let raw = '';
    let last = '';
    for await (const event of model.stream(strategy.request, callOptions)) {
      accumulator.add(event); // throws the error event's ConduitError
      const delta = strategy.deltaOf(event);
      if (!delta) continue;
      raw += delta;
      // Reparsing the whole prefix per delta is quadratic in theory; objects are small in practice.
      const { value } = parsePartialJson(stripOpeningFence(raw));
      if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
      const partial = dropNullOptionals(strategy.jsonSchema, value);
      const key = JSON.stringify(partial);
      if (key === last) continue;
      last = key;
      queue.push(partial as DeepPartial<T>);
    }
    return { result: accumulator.result(), strategy };
  })();

  const object = run.then(({ result, strategy }) => {
    queue.close();
    const text = strategy.textOf(result);
    const parsed = parseObjectText<T>(schema, strategy.jsonSchema, text);
    if (!parsed.ok) throw invalidObjectError(parsed.issues, text, result.finishReason, model.provider, false);
    return parsed.value;
  });
  run.catch((error: unknown) => queue.fail(error));

  const usage = run.then(({ result }) => result.usage);
  const cost = run.then(({ result }) => result.cost);
  // Callers often await just one of these; the others must not become unhandled rejections.
  for (const promise of [object, usage, cost]) promise.catch(noop);

  return { partialObjectStream: queue, object, usage, cost };
}
