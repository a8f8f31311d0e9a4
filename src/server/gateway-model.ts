/**
 * A LanguageModel that calls through the gateway with the caller's identity, so model calls made on a
 * request's behalf (RAG answers, judges) are routed, limited, budgeted and logged like any other.
 */
import type { ChatEvent, ChatResult } from '../core/chat-event.js';
import type { ChatRequest } from '../core/chat-request.js';
import type { CallOptions, EmbeddingModel, LanguageModel } from '../core/language-model.js';
import type { Gateway, RequestContext } from '../gateway/gateway.js';

export function gatewayLanguageModel(gateway: Gateway, name: string, base: RequestContext): LanguageModel {
  let calls = 0;
  const context = (options: CallOptions = {}): RequestContext => ({
    ...base,
    requestId: `${base.requestId}.${++calls}`,
    startedAt: performance.now(),
    signal: options.signal ?? base.signal,
  });
  const router = gateway.catalog.resolve(name).router;
  return {
    id: `gateway:${name}`,
    provider: 'gateway',
    modelId: name,
    capabilities: router.capabilities,
    async generate(request: ChatRequest, options?: CallOptions): Promise<ChatResult> {
      const outcome = await gateway.chat({ ...request, model: name }, context(options), false);
      return outcome.result!;
    },
    async *stream(request: ChatRequest, options?: CallOptions): AsyncGenerator<ChatEvent> {
      const outcome = await gateway.chat({ ...request, model: name }, context(options), true);
      yield* outcome.events!;
    },
  };
}

export function gatewayEmbeddingModel(gateway: Gateway, name: string, base: RequestContext): EmbeddingModel {
  let calls = 0;
  return {
    id: `gateway:${name}`,
    provider: 'gateway',
    modelId: name,
    embed: (texts, options) =>
      gateway.embed(
        name,
        texts,
        {
          ...base,
          requestId: `${base.requestId}.e${++calls}`,
          route: 'embeddings',
          startedAt: performance.now(),
        },
        options,
      ),
  };
}
