/**
 * The JSON wire shapes of RAG results, shared by the CLI's `--json` output and the HTTP API so both
 * print the same fields: snake_case, offsets as character positions in the document's text.
 */

import type { Collection } from '../../storage/ports/document-store.js';
import type { AskEvent, AskResult } from '../answer/ask-result.js';
import type { Citation, NumberedSource } from '../answer/check-citations.js';
import { embeddingModelOf } from '../ingest/collection-settings.js';
import type { RetrievedChunk } from '../retrieval/retrieved-chunk.js';

export interface SearchResultJson {
  chunk_id: string;
  document_id: string;
  score: number;
  text: string;
  source: {
    uri: string | null;
    title: string | null;
    page: number | null;
    start: number | null;
    end: number | null;
  };
}

export function searchResultJson(hit: RetrievedChunk): SearchResultJson {
  return {
    chunk_id: hit.chunk.id,
    document_id: hit.document.id,
    score: hit.score,
    text: hit.chunk.text,
    source: {
      uri: hit.document.uri,
      title: hit.document.title,
      page: hit.chunk.page,
      start: hit.chunk.start,
      end: hit.chunk.end,
    },
  };
}

/** `{ "results": [...] }`, exactly as `conduit search --json` prints it. */
export function searchResultsJson(hits: readonly RetrievedChunk[]): { results: SearchResultJson[] } {
  return { results: hits.map(searchResultJson) };
}

export function citationJson(c: Citation) {
  return {
    n: c.n,
    chunk_id: c.chunkId,
    document_id: c.documentId,
    uri: c.uri,
    title: c.title,
    page: c.page,
    heading_path: c.headingPath,
    start: c.start,
    end: c.end,
    quote: c.quote,
    verified: c.verified,
    match: c.match,
    ...(c.reason ? { reason: c.reason } : {}),
  };
}

function sourceJson({ n, hit }: NumberedSource) {
  return { n, ...searchResultJson(hit), heading_path: hit.chunk.headingPath };
}

export function askResultJson(result: AskResult) {
  return {
    answer: result.answer,
    status: result.status,
    extractive: result.status === 'extractive',
    citations: result.citations.map(citationJson),
    chunks: result.sources.map(sourceJson),
    model: result.model,
    retrieval: result.retrieval,
    usage: {
      prompt_tokens: result.usage.promptTokens,
      completion_tokens: result.usage.completionTokens,
      total_tokens: result.usage.totalTokens,
      embedding_tokens: result.embeddingTokens,
    },
    cost_usd: result.cost?.total ?? null,
    timings: {
      retrieval_ms: round(result.timings.retrievalMs),
      generation_ms: round(result.timings.generationMs),
      verification_ms: round(result.timings.verificationMs),
      total_ms: round(result.timings.totalMs),
    },
    warnings: result.warnings,
    steps: result.steps.map((s) => ({
      name: s.name,
      ms: round(s.ms),
      ...(s.usage ? { total_tokens: s.usage.totalTokens } : {}),
      ...(s.judgement ? { judgement: s.judgement } : {}),
    })),
    ...(result.unsupportedAnswer ? { unsupported_answer: result.unsupportedAnswer } : {}),
  };
}

/** One server-sent event of `/v1/collections/:name/ask`: `event:` name and `data:` JSON. */
export function askEventJson(event: AskEvent): { event: string; data: unknown } {
  switch (event.type) {
    case 'retrieval':
      return {
        event: 'retrieval',
        data: { mode: event.mode, notices: event.notices, chunks: event.sources.map(sourceJson) },
      };
    case 'step':
      return { event: 'step', data: { name: event.name, status: event.status } };
    case 'text-delta':
      return { event: 'delta', data: { text: event.text } };
    case 'result':
      return { event: 'result', data: askResultJson(event.result) };
    case 'error':
      return {
        event: 'error',
        data: { error: { message: event.error.message, code: event.error.code, status: event.error.status } },
      };
  }
}

export function collectionJson(c: Collection) {
  return {
    name: c.name,
    embedding_model: embeddingModelOf(c),
    dimensions: c.dimensions,
    document_count: c.documentCount,
    chunk_count: c.chunkCount,
    metadata: c.metadata,
    created_at: new Date(c.createdAt).toISOString(),
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
