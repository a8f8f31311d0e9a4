/**
 * `conduit-llm/core`: the model API every other module builds on — request and message types, stream
 * events, the error model, SSE parsing, retries, timeouts, tokens, cost, context fitting and the
 * high-level generate functions.
 */
export type {
  ChatChoice,
  ChatEvent,
  ChatResult,
  Cost,
  FinishReason,
  TokenLogprob,
  Usage,
} from './chat-event.js';
export { emptyUsage } from './chat-event.js';
export type { ChatRequest, FunctionTool, JsonSchema, ResponseFormat, ToolChoice } from './chat-request.js';
export { maxOutputTokens, stopSequences } from './chat-request.js';
export { collectStream, createStreamAccumulator, type StreamAccumulator } from './collect-stream.js';
export { cacheDir, conduitHome, defaultStorageUrl, modelsDir } from './conduit-home.js';
export * from './context/index.js';
export * from './cost/index.js';
export {
  ConduitError,
  type ConduitErrorOptions,
  codeFromStatus,
  ERROR_CODES,
  type ErrorCode,
  toConduitError,
} from './errors.js';
export * from './generate/index.js';
export type {
  AttemptReport,
  CallOptions,
  CallReport,
  EmbeddingModel,
  EmbeddingOptions,
  EmbeddingResult,
  LanguageModel,
  ModelCapabilities,
  Principal,
  PrincipalKey,
} from './language-model.js';
export type {
  AssistantMessage,
  AudioPart,
  ChatMessage,
  ChatRole,
  ContentPart,
  FilePart,
  ImagePart,
  SystemMessage,
  TextPart,
  ToolCall,
  ToolMessage,
  UserMessage,
} from './messages.js';
export { contentText, parseDataUrl } from './messages.js';
export type { ModelInfo, Provider } from './provider.js';
export { reliableStream } from './reliable-stream.js';
export { type ReplayOptions, replayResult } from './replay-result.js';
export {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  type RetryPolicy,
  resolveRetryPolicy,
  sleep,
  withRetry,
} from './retry.js';
export { createSseParser, parseSseStream, type SseEvent, type SseParser } from './sse/parse-sse.js';
export { type CallScope, createCallScope, type Timeouts } from './timeouts.js';
export * from './tokens/index.js';
export {
  type ActiveSpan,
  type Attributes,
  type AttributeValue,
  formatTraceparent,
  newSpanId,
  newTraceId,
  parseTraceparent,
  type SpanKind,
  type SpanOptions,
  type SpanRecorder,
  startSpan,
  type TraceContext,
} from './trace-context.js';
