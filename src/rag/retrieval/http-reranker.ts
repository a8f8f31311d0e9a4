/**
 * A reranker over a provider's rerank endpoint. Cohere (`/v2/rerank`), Jina (`/v1/rerank`), Voyage
 * (`/v1/rerank`) and self-hosted Hugging Face TEI (`/rerank`) share one request shape — a query and a
 * list of documents — and answer with indexes and relevance scores; this client speaks all four.
 *
 * @example
 * const reranker = createHttpReranker({
 *   url: 'https://api.cohere.com/v2/rerank', model: 'rerank-v3.5', apiKey: process.env.COHERE_API_KEY,
 * });
 */
import { ConduitError } from '../../core/errors.js';
import type { Reranker, RerankScore } from './reranker.js';

export interface HttpRerankerOptions {
  url: string;
  model?: string;
  apiKey?: string;
  headers?: Record<string, string>;
  fetch?: typeof globalThis.fetch;
}

type Row = { index?: number; relevance_score?: number; score?: number };

export function createHttpReranker(options: HttpRerankerOptions): Reranker {
  const doFetch = options.fetch ?? globalThis.fetch;
  return {
    id: `http:${options.model ?? new URL(options.url).host}`,
    async rerank(query, passages, callOptions) {
      if (passages.length === 0) return [];
      const response = await doFetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
          ...options.headers,
        },
        // `documents` for Cohere/Jina/Voyage, `texts` for TEI; each ignores the other's field.
        body: JSON.stringify({ model: options.model, query, documents: passages, texts: passages }),
        ...(callOptions?.signal ? { signal: callOptions.signal } : {}),
      });
      if (!response.ok) {
        throw new ConduitError('upstream_error', `rerank endpoint answered HTTP ${response.status}`, {
          upstreamStatus: response.status,
          retryable: response.status >= 500 || response.status === 429,
        });
      }
      const body = (await response.json()) as { results?: Row[]; data?: Row[] } | Row[];
      const rows = Array.isArray(body) ? body : (body.results ?? body.data ?? []);
      const scores: RerankScore[] = [];
      for (const row of rows) {
        const score = row.relevance_score ?? row.score;
        if (typeof row.index === 'number' && typeof score === 'number')
          scores.push({ index: row.index, score });
      }
      return scores.sort((a, b) => b.score - a.score);
    },
  };
}
