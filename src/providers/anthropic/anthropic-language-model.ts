/**
 * A LanguageModel over Anthropic's Messages API. All translation lives in pure functions beside this
 * file; the class only wires them to the shared HTTP transport (retries, timeouts, abort, SSE).
 */
import type { ChatEvent, ChatResult, Cost, Usage } from '../../core/chat-event.js';
import type { ChatRequest } from '../../core/chat-request.js';
import type { ModelPrice } from '../../core/cost/pricing.js';
import type { CallOptions, LanguageModel, ModelCapabilities } from '../../core/language-model.js';
import { costOf } from '../shared/cost-of.js';
import { requestJson, streamEvents, type TransportDefaults } from '../shared/http-transport.js';
import type { AnthropicMessage } from './anthropic-api.js';
import { createAnthropicStreamTranslator } from './anthropic-stream-translator.js';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.js';
import { mapAnthropicError } from './map-anthropic-error.js';
import { mapAnthropicResponse } from './map-anthropic-response.js';

/** What a model needs to reach one Anthropic-wire server. Built by createAnthropic. */
export interface AnthropicModelConfig extends TransportDefaults {
  url(endpoint: 'messages' | 'models'): string;
  /** Resolved per call, so a missing key fails the call with a clear error, not the factory. */
  headers(): Record<string, string>;
  pricing?: Record<string, ModelPrice>;
}

export const ANTHROPIC_CAPABILITIES: ModelCapabilities = {
  tools: true,
  images: true,
  audio: false,
  // Both JSON modes work, but by emulation (a forced tool, a system instruction), not natively.
  jsonSchema: false,
  jsonMode: false,
};

export class AnthropicLanguageModel implements LanguageModel {
  readonly provider = 'anthropic';
  readonly id: string;
  readonly capabilities = ANTHROPIC_CAPABILITIES;

  constructor(
    readonly modelId: string,
    private readonly config: AnthropicModelConfig,
  ) {
    this.id = `anthropic:${modelId}`;
  }

  async generate(request: ChatRequest, options: CallOptions = {}): Promise<ChatResult> {
    const { body, json } = convertToAnthropicRequest(request, this.modelId);
    const response = await requestJson<AnthropicMessage>(
      { provider: this.provider, url: this.config.url('messages'), headers: this.config.headers(), body },
      mapAnthropicError,
      options,
      this.config,
    );
    const result = mapAnthropicResponse(response.json, json);
    const cost = this.cost(result.model, result.usage);
    if (cost) result.cost = cost;
    return result;
  }

  // A generator, so a request that fails to convert rejects the first next() like any early failure.
  async *stream(request: ChatRequest, options: CallOptions = {}): AsyncGenerator<ChatEvent> {
    const { body, json } = convertToAnthropicRequest(request, this.modelId, { stream: true });
    yield* streamEvents(
      { provider: this.provider, url: this.config.url('messages'), headers: this.config.headers(), body },
      mapAnthropicError,
      () => createAnthropicStreamTranslator({ json, cost: (model, usage) => this.cost(model, usage) }),
      options,
      this.config,
    );
  }

  private cost(answeredModel: string, usage: Usage): Cost | undefined {
    return costOf(answeredModel || this.modelId, usage, this.provider, this.config.pricing, this.modelId);
  }
}
