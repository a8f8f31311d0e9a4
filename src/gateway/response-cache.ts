/**
 * Exact-match response cache: a normalised request → the ChatResult it produced. Streamed answers are
 * cached once complete and replayed as a stream; `generate` and `stream` share entries.
 */
import { createHash } from 'node:crypto';
import type { ChatResult } from '../core/chat-event.js';
import type { ChatRequest } from '../core/chat-request.js';
import type { Cache } from '../storage/ports/cache.js';

/** Fields that do not change the answer: who asked, and how it is delivered. */
const IGNORED = new Set(['user', 'metadata', 'stream', 'stream_options', 'model']);

/** A stable key: the alias plus the request with keys sorted and delivery-only fields dropped. */
export function cacheKey(alias: string, request: ChatRequest): string {
  const hash = createHash('sha256');
  hash.update(alias);
  hash.update('\0');
  hash.update(stableJson(request, true));
  return `chat:${hash.digest('hex')}`;
}

function stableJson(value: unknown, top = false): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => stableJson(v)).join(',')}]`;
  const keys = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined && !(top && IGNORED.has(k)))
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

export interface ResponseCache {
  get(key: string): Promise<ChatResult | undefined>;
  set(key: string, result: ChatResult): Promise<void>;
}

export function createResponseCache(
  cache: Cache,
  options: { ttlMs: number; maxEntryBytes: number },
): ResponseCache {
  return {
    async get(key) {
      const value = await cache.get(key);
      if (value === undefined) return undefined;
      try {
        return JSON.parse(value.toString()) as ChatResult;
      } catch {
        return undefined;
      }
    },
    async set(key, result) {
      // Errors and cut-off answers are not worth replaying.
      if (result.finishReason === 'error') return;
      const json = JSON.stringify(result);
      if (Buffer.byteLength(json) > options.maxEntryBytes) return;
      await cache.set(key, json, options.ttlMs);
    },
  };
}
