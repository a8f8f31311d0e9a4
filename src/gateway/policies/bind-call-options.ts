/**
 * A model whose calls carry the given options (the caller's identity, its trace) unless a call sets
 * its own: how work done on a request's behalf — a RAG answer, an eval judge — is routed, limited,
 * budgeted, logged and traced as that request's caller. Each call gets its own request id
 * (`<requestId>.<n>`), so every call has its usage row.
 */
import type { CallOptions, EmbeddingModel, LanguageModel } from '../../core/language-model.js';
import { sameIdentity } from './model-policy.js';

type Bound = Pick<
  CallOptions,
  'principal' | 'requestId' | 'clientRequestId' | 'trace' | 'signal' | 'metadata' | 'cache'
>;

function merge(bound: Bound, next: () => number, options: CallOptions | undefined): CallOptions {
  return {
    ...bound,
    ...options,
    requestId: bound.requestId ? `${bound.requestId}.${next()}` : options?.requestId,
    signal: options?.signal ?? bound.signal,
  };
}

export function bindCallOptions(model: LanguageModel, bound: Bound): LanguageModel {
  let calls = 0;
  const next = () => ++calls;
  return {
    ...sameIdentity(model),
    generate: (request, options) => model.generate(request, merge(bound, next, options)),
    stream: (request, options) => model.stream(request, merge(bound, next, options)),
  };
}

export function bindEmbeddingOptions(model: EmbeddingModel, bound: Bound): EmbeddingModel {
  let calls = 0;
  const next = () => ++calls;
  return {
    id: model.id,
    provider: model.provider,
    modelId: model.modelId,
    dimensions: model.dimensions,
    maxBatchSize: model.maxBatchSize,
    embed: (texts, options) => model.embed(texts, { ...options, ...merge(bound, next, options) }),
  };
}
