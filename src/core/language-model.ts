/**
 * The interfaces every model implements: hosted providers, the local engine and the gateway's router.
 */
import type { ChatEvent, ChatResult, Usage } from './chat-event.js';
import type { ChatRequest } from './chat-request.js';
import type { ConduitError } from './errors.js';
import type { RetryPolicy } from './retry.js';
import type { Timeouts } from './timeouts.js';

export interface CallOptions {
  /** Aborts the call; reaches the socket. */
  signal?: AbortSignal;
  timeout?: Timeouts;
  /** `false` disables retries for this call. */
  retry?: Partial<RetryPolicy> | false;
  /** Extra headers sent to the upstream. */
  headers?: Record<string, string>;
  /** Free-form labels carried into logs and traces. */
  metadata?: Record<string, string>;
  /** Called before each retry of this call (the gateway counts them for its usage log). */
  onRetry?: (info: { attempt: number; error: ConduitError; delayMs: number }) => void;
}

export interface ModelCapabilities {
  tools?: boolean;
  /** Native json_schema structured output. */
  jsonSchema?: boolean;
  /** JSON mode (json_object). */
  jsonMode?: boolean;
  images?: boolean;
  audio?: boolean;
}

export interface LanguageModel {
  /** "provider:model", e.g. "openai:gpt-4o-mini", "local:qwen2.5-0.5b", "router:fast". */
  readonly id: string;
  readonly provider: string;
  readonly modelId: string;
  readonly capabilities?: ModelCapabilities;
  generate(request: ChatRequest, options?: CallOptions): Promise<ChatResult>;
  stream(request: ChatRequest, options?: CallOptions): AsyncIterable<ChatEvent>;
}

export interface EmbeddingResult {
  embeddings: number[][];
  model: string;
  usage: Pick<Usage, 'promptTokens' | 'totalTokens'>;
  costUsd?: number;
}

export interface EmbeddingOptions extends CallOptions {
  /** Output dimensions, for models that can shorten their vectors. */
  dimensions?: number;
  /** What the text is for: some providers embed queries and documents differently. */
  inputType?: 'query' | 'document';
}

export interface EmbeddingModel {
  readonly id: string;
  readonly provider: string;
  readonly modelId: string;
  readonly dimensions?: number;
  /** Largest batch the provider accepts in one call. */
  readonly maxBatchSize?: number;
  embed(texts: string[], options?: EmbeddingOptions): Promise<EmbeddingResult>;
}
