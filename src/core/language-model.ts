/**
 * The interfaces every model implements: hosted providers, the local engine and the gateway's router.
 */
import type { ChatEvent, ChatResult, Usage } from './chat-event.js';
import type { ChatRequest } from './chat-request.js';
import type { ConduitError } from './errors.js';
import type { RetryPolicy } from './retry.js';
import type { Timeouts } from './timeouts.js';
import type { TraceContext } from './trace-context.js';

/**
 * Who a call is made for. The gateway sets it from the request's key; policies (key limits, budgets,
 * the usage log) read it. `virtual` carries the key's limits; the others have none.
 */
export type Principal =
  | { kind: 'master' }
  | { kind: 'anonymous' }
  | { kind: 'local' }
  | { kind: 'virtual'; key: PrincipalKey };

/** The part of a virtual key that policies enforce. */
export interface PrincipalKey {
  id: string;
  /** Display prefix such as `sk-cdt-abcd`. */
  prefix: string;
  /** Model names the key may call; empty means all. */
  models: string[];
  /**
   * RAG collections the key may use (names or globs, `:read` for read-only); `null` or absent is
   * the default: all for a key without a model list, none for a key with one.
   */
  collections?: string[] | null;
  rpm: number | null;
  tpm: number | null;
  budgetUsd: number | null;
  budgetPeriod: 'daily' | 'weekly' | 'monthly' | 'total';
}

/** One deployment tried by a router for a call. */
export interface AttemptReport {
  /** Stable deployment id (`<alias>/<index>`), from configuration. */
  deployment: string;
  provider: string;
  model: string;
  latencyMs: number;
  /** Retries made inside this deployment. */
  retries: number;
  error?: ConduitError;
}

/**
 * What a call did, filled in by the layers it passes through and read by the outer ones (the usage
 * log, traces, the HTTP edge's `x-conduit-cache` header). Create one per call.
 */
export interface CallReport {
  /** performance.now() when the request arrived (default: when the outermost layer saw it). */
  startedAt?: number;
  /** Set by the response cache: true on a hit, false on a miss, absent when it was not consulted. */
  cacheHit?: boolean;
  /** Deployments tried, in order. */
  attempts: AttemptReport[];
  /** The trace the call was recorded in (set by the tracing layer), for response headers and logs. */
  traceId?: string;
}

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
  /** Who the call is for (policies read it); absent means a local, unlimited caller. */
  principal?: Principal;
  /** Unique id of the request this call serves (usage rows, logs). */
  requestId?: string;
  /** The id the client gave the request (`x-request-id`), kept beside ours in usage rows; not unique. */
  clientRequestId?: string;
  /** The current span; router attempts, tools and retrievals record children under it. */
  trace?: TraceContext;
  /** Filled in as the call proceeds (see CallReport). */
  report?: CallReport;
  /** 'bypass' neither reads nor writes the response cache. */
  cache?: 'default' | 'bypass';
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
