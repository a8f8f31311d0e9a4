/**
 * Models wrapped for an eval run: every call timed, optionally rate-limited, and served from the
 * response cache when the same request was answered before. Identical requests in flight at once
 * share one upstream call. Failed calls are never cached. The wrappers are LanguageModel and
 * EmbeddingModel themselves, so judges, `generateObject` and RAG's `ask` use them unchanged.
 *
 * @example
 * const model = withEvalCache(resolver.languageModel('fast'), { cache, limit });
 * const { result, cached, latencyMs } = await model.generateWithInfo(request);
 */
import type { ChatEvent, ChatResult } from '../../core/chat-event.js';
import type { ChatRequest } from '../../core/chat-request.js';
import { createStreamAccumulator } from '../../core/collect-stream.js';
import type {
  CallOptions,
  EmbeddingModel,
  EmbeddingOptions,
  LanguageModel,
} from '../../core/language-model.js';
import { replayResult } from '../../core/replay-result.js';
import { type ResponseCache, requestKey } from './disk-cache.js';
import type { Limiter } from './limiter.js';

export interface TimedCall {
  result: ChatResult;
  /** Of the call that produced the answer (the original one, for a cache hit). */
  latencyMs: number;
  cached: boolean;
}

export interface EvalLanguageModel extends LanguageModel {
  generateWithInfo(request: ChatRequest, options?: CallOptions): Promise<TimedCall>;
}

export interface EvalModelOptions {
  cache?: ResponseCache;
  limit?: Limiter;
  /**
   * Part of every cache key: where the model lives, as the suite named it (an alias, a gateway
   * URL). Two servers can serve the same model id; their answers must not mix.
   */
  namespace?: string;
}

const direct: Limiter = (task) => task();

export function withEvalCache(model: LanguageModel, options: EvalModelOptions = {}): EvalLanguageModel {
  const { cache } = options;
  const limit = options.limit ?? direct;
  const inFlight = new Map<string, Promise<TimedCall>>();
  // The id and request decide the answer; `model` inside the request is a router's concern only.
  const keyOf = (request: ChatRequest) => requestKey([options.namespace ?? '', model.id, request]);

  // Timed inside the limiter: the wait for a slot is the suite's doing, not the model's latency.
  const call = (request: ChatRequest, callOptions?: CallOptions): Promise<TimedCall> =>
    limit(async () => {
      const started = performance.now();
      const result = await model.generate(request, callOptions);
      return { result, latencyMs: performance.now() - started, cached: false };
    });

  const generateWithInfo = async (request: ChatRequest, callOptions?: CallOptions): Promise<TimedCall> => {
    if (!cache) return call(request, callOptions);
    const key = keyOf(request);
    const hit = await cache.get<{ result: ChatResult; latencyMs: number }>(key);
    if (hit) return { ...hit, cached: true };
    const pending = inFlight.get(key);
    if (pending) return { ...(await pending), cached: true };
    const fresh = call(request, callOptions).then(async (timed) => {
      await cache.set(key, { result: timed.result, latencyMs: timed.latencyMs });
      return timed;
    });
    inFlight.set(key, fresh);
    try {
      return await fresh;
    } finally {
      inFlight.delete(key);
    }
  };

  return {
    id: model.id,
    provider: model.provider,
    modelId: model.modelId,
    ...(model.capabilities ? { capabilities: model.capabilities } : {}),
    generateWithInfo,
    generate: async (request, callOptions) => (await generateWithInfo(request, callOptions)).result,
    async *stream(request, callOptions) {
      const key = cache ? keyOf(request) : undefined;
      const hit = key ? await cache!.get<{ result: ChatResult }>(key) : undefined;
      if (hit) {
        yield* replayResult(hit.result);
        return;
      }
      let started = 0;
      const accumulator = createStreamAccumulator();
      let failed = false;
      // The whole stream is read inside the limiter slot and then replayed: an eval wants the
      // finished answer, and yielding inside the slot would hold it while the consumer works.
      const events: ChatEvent[] = [];
      await limit(async () => {
        started = performance.now();
        for await (const event of model.stream(request, callOptions)) {
          events.push(event);
          if (event.type === 'error') failed = true;
          else accumulator.add(event);
        }
      });
      yield* events;
      if (key && !failed)
        await cache!.set(key, { result: accumulator.result(), latencyMs: performance.now() - started });
    },
  };
}

/** Embeddings cached per text, so a reference embedded for one case is free for the next. */
export function withEmbeddingCache(model: EmbeddingModel, options: EvalModelOptions = {}): EmbeddingModel {
  const { cache } = options;
  const limit = options.limit ?? direct;
  return {
    id: model.id,
    provider: model.provider,
    modelId: model.modelId,
    ...(model.dimensions !== undefined ? { dimensions: model.dimensions } : {}),
    ...(model.maxBatchSize !== undefined ? { maxBatchSize: model.maxBatchSize } : {}),
    async embed(texts, embedOptions: EmbeddingOptions = {}) {
      const shape = { dimensions: embedOptions.dimensions, inputType: embedOptions.inputType };
      const keys = texts.map((text) => requestKey([options.namespace ?? '', model.id, 'embed', shape, text]));
      const found = cache
        ? await Promise.all(keys.map((k) => cache.get<number[]>(k)))
        : texts.map(() => undefined);
      const missing = texts.map((_, i) => i).filter((i) => found[i] === undefined);
      if (missing.length === 0)
        return {
          embeddings: found as number[][],
          model: model.modelId,
          usage: { promptTokens: 0, totalTokens: 0 },
          costUsd: 0,
        };
      const result = await limit(() =>
        model.embed(
          missing.map((i) => texts[i]!),
          embedOptions,
        ),
      );
      missing.forEach((index, j) => {
        found[index] = result.embeddings[j]!;
      });
      if (cache) await Promise.all(missing.map((index) => cache.set(keys[index]!, found[index])));
      return { ...result, embeddings: found as number[][] };
    },
  };
}
