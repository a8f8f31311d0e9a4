/**
 * `conduit-llm/rag`: question answering over your own documents. Loaders with provenance, structure-aware
 * chunking, incremental ingestion into any DocumentStore, BM25 / dense / hybrid retrieval with
 * filters, MMR and reranking, and answers whose citations are checked against the sources.
 * Models are values: nothing here imports a provider, the gateway or the server.
 *
 * @example
 * import { ask, ingest, retrieve } from 'conduit-llm/rag';
 * await ingest({ store: storage.documents, collection: 'handbook', inputs: ['docs/'], embedder });
 * const { answer, citations } = await ask({ store: storage.documents, collection: 'handbook', question, model, embedder });
 */
export { type AskOptions, type AskStream, ask, askStream } from './answer/ask.js';
export type { AskEvent, AskResult, AskStatus, AskStep, AskStepName } from './answer/ask-result.js';
export {
  type Citation,
  type CitationCheck,
  checkCitations,
  type NumberedSource,
} from './answer/check-citations.js';
export {
  citationMarkers,
  isRefusal,
  NOT_FOUND_ANSWER,
  type ParsedAnswer,
  parseCitedAnswer,
} from './answer/cited-answer-format.js';
export { EXTRACTIVE_PREFIX, extractiveAnswer } from './answer/extractive-answer.js';
export { findQuote, type QuoteMatch } from './answer/find-quote.js';
export {
  groundedMessages,
  type PromptBudget,
  selectSources,
  sourceBudget,
} from './answer/grounded-prompt.js';
export { createQuoteStreamFilter, type QuoteStreamFilter } from './answer/quote-stream-filter.js';
export { type Judgement, judgementSchema } from './answer/verify-answer.js';
export {
  type ChunkOptions,
  chunkDocument,
  DEFAULT_CHUNK_TOKENS,
  DEFAULT_OVERLAP_TOKENS,
  type DocumentChunk,
} from './chunking/chunk-document.js';
export { EMBEDDING_MODEL_KEY, embeddingModelOf, ensureCollection } from './ingest/collection-settings.js';
export { embedTexts } from './ingest/embed-texts.js';
export { type IngestOptions, type IngestProgress, type IngestSummary, ingest } from './ingest/ingest.js';
export { expandInputs } from './loaders/expand-inputs.js';
export { type FetchedUrl, type FetchUrlOptions, fetchUrl } from './loaders/fetch-url.js';
export type { JsonlFields } from './loaders/load-jsonl.js';
export { type IngestSource, type LoadOptions, loadSource } from './loaders/load-source.js';
export type {
  DocumentFormat,
  Heading,
  LoadedDocument,
  LoadFailure,
  LoadResult,
  PageSpan,
} from './loaders/loaded-document.js';
export { type AddressPolicy, blockNonPublicAddresses } from './loaders/ssrf-guard.js';
export { createHttpReranker, type HttpRerankerOptions } from './retrieval/http-reranker.js';
export { createLlmReranker, type LlmRerankerOptions } from './retrieval/llm-reranker.js';
export { maximalMarginalRelevance } from './retrieval/maximal-marginal-relevance.js';
export { reciprocalRankFusion } from './retrieval/reciprocal-rank-fusion.js';
export type { Reranker, RerankScore } from './retrieval/reranker.js';
export { type RetrievalResult, type RetrieveOptions, retrieve } from './retrieval/retrieve.js';
export {
  type RetrievalMode,
  type RetrievedChunk,
  type StageScores,
  sourcePath,
} from './retrieval/retrieved-chunk.js';
export {
  askEventJson,
  askResultJson,
  citationJson,
  collectionJson,
  type SearchResultJson,
  searchResultJson,
  searchResultsJson,
} from './service/rag-json.js';
export { askBodySchema, createCollectionBodySchema, searchBodySchema } from './service/rag-schemas.js';
export {
  createRagService,
  type DocumentUpload,
  type RagService,
  type RagServiceOptions,
} from './service/rag-service.js';
