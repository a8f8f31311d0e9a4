/**
 * The response cache as a policy: an exact-match hit answers without calling the model — replayed
 * as a stream when the caller streams — and costs nothing (its `cost` is zero, `report.cacheHit` is
 * true); a miss is stored once the answer is complete. Streams are folded as they pass, so caching
 * one does not keep its events. `options.cache: 'bypass'` skips the cache both ways.
 */
import { createStreamAccumulator } from '../../core/collect-stream.js';
import { cacheKey, type ResponseCache } from '../response-cache.js';
import { interceptCalls, type ModelPolicy } from './model-policy.js';

export interface ResponseCacheOptions {
  cache: ResponseCache;
  /** Called with each lookup's outcome (the gateway counts hits and misses). */
  onLookup?: (hit: boolean) => void;
}

const FREE = { input: 0, cachedInput: 0, output: 0, total: 0 };

export function responseCache(options: ResponseCacheOptions): ModelPolicy {
  const { cache } = options;
  return (model) =>
    interceptCalls(model, async (request, call) => {
      if (call.cache === 'bypass') return undefined;
      const key = cacheKey(model.modelId, request);
      const hit = await cache.get(key);
      options.onLookup?.(hit !== undefined);
      if (call.report) call.report.cacheHit = hit !== undefined;
      if (hit) {
        const id = call.requestId ? `chatcmpl-${call.requestId}` : hit.id;
        return {
          answer: { ...hit, id, cost: FREE, providerMetadata: { ...hit.providerMetadata, cacheHit: true } },
        };
      }
      const accumulator = createStreamAccumulator();
      return {
        onEvent: (event) => {
          if (event.type !== 'error') accumulator.add(event);
        },
        settle: ({ error, result }) => {
          if (!error) void cache.set(key, result ?? accumulator.result()).catch(() => undefined);
        },
      };
    });
}
