/**
 * A LanguageModel over the OpenAI Chat Completions wire format: OpenAI itself and every compatible
 * server (vLLM, Ollama, Groq, ...), which differ only in their OpenAIClientConfig.
 */
import type { ChatEvent, ChatResult } from '../../core/chat-event.js';
import type { ChatRequest } from '../../core/chat-request.js';
import type { CallOptions, LanguageModel, ModelCapabilities } from '../../core/language-model.js';
import { costOf } from '../shared/cost-of.js';
import { requestJson, streamEvents } from '../shared/http-transport.js';
import { convertToOpenAIRequest } from './convert-to-openai-request.js';
import { mapOpenAIError } from './map-openai-error.js';
import { mapOpenAIResponse } from './map-openai-response.js';
import type { OpenAIChatCompletion } from './openai-api.js';
import type { OpenAIClientConfig } from './openai-client-config.js';
import { createOpenAIStreamTranslator } from './openai-stream-translator.js';

export class OpenAIChatModel implements LanguageModel {
  readonly id: string;
  readonly provider: string;
  readonly capabilities: ModelCapabilities;
  private readonly mapError: ReturnType<typeof mapOpenAIError>;

  constructor(
    readonly modelId: string,
    private readonly config: OpenAIClientConfig,
  ) {
    this.provider = config.provider;
    this.id = `${config.provider}:${modelId}`;
    this.capabilities = config.capabilities;
    this.mapError = mapOpenAIError(config.provider);
  }

  async generate(request: ChatRequest, options: CallOptions = {}): Promise<ChatResult> {
    const { json } = await requestJson<OpenAIChatCompletion>(
      {
        provider: this.provider,
        url: this.config.url('chat/completions', this.modelId),
        headers: this.config.headers(),
        body: convertToOpenAIRequest(request, this.modelId, this.config.quirks),
      },
      this.mapError,
      options,
      this.config,
    );
    const result = mapOpenAIResponse(json, this.provider, this.modelId);
    const cost = costOf(result.model, result.usage, this.provider, this.config.pricing, this.modelId);
    if (cost) result.cost = cost;
    return result;
  }

  stream(request: ChatRequest, options: CallOptions = {}): AsyncIterable<ChatEvent> {
    const provider = this.provider;
    const pricing = this.config.pricing;
    return streamEvents(
      {
        provider,
        url: this.config.url('chat/completions', this.modelId),
        headers: this.config.headers(),
        body: convertToOpenAIRequest(request, this.modelId, this.config.quirks, { stream: true }),
      },
      this.mapError,
      () =>
        createOpenAIStreamTranslator({
          provider,
          requestedModel: this.modelId,
          cost: (model, usage) => costOf(model, usage, provider, pricing, this.modelId),
        }),
      options,
      this.config,
    );
  }
}
