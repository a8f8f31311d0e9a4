/**
 * A LanguageModel over the Gemini API: the pure translators of this folder around the shared HTTP
 * transport, which brings keep-alive, timeouts, retries and cancellation.
 */
import type { ChatEvent, ChatResult, Cost, Usage } from '../../core/chat-event.js';
import type { ChatRequest } from '../../core/chat-request.js';
import type { CallOptions, LanguageModel, ModelCapabilities } from '../../core/language-model.js';
import { costOf } from '../shared/cost-of.js';
import { requestJson, streamEvents } from '../shared/http-transport.js';
import { convertToGeminiRequest } from './convert-to-gemini-request.js';
import type { GeminiResponse } from './gemini-api.js';
import { createGeminiStreamTranslator } from './gemini-stream-translator.js';
import { type GoogleClientConfig, geminiMethodUrl } from './google-client-config.js';
import { mapGeminiError } from './map-gemini-error.js';
import { mapGeminiResponse } from './map-gemini-response.js';

export class GoogleLanguageModel implements LanguageModel {
  readonly id: string;
  readonly provider = 'google';
  readonly capabilities: ModelCapabilities = {
    tools: true,
    jsonSchema: true,
    jsonMode: true,
    images: true,
    audio: true,
  };

  constructor(
    readonly modelId: string,
    private readonly config: GoogleClientConfig,
  ) {
    this.id = `google:${modelId}`;
  }

  async generate(request: ChatRequest, options: CallOptions = {}): Promise<ChatResult> {
    const { json } = await requestJson<GeminiResponse>(
      {
        provider: this.provider,
        url: geminiMethodUrl(this.config, this.modelId, 'generateContent'),
        headers: this.config.headers(),
        body: convertToGeminiRequest(request, { modelId: this.modelId }),
      },
      mapGeminiError,
      options,
      this.config,
    );
    const result = mapGeminiResponse(json, this.modelId);
    const cost = this.cost(result.model, result.usage);
    if (cost) result.cost = cost;
    return result;
  }

  /** An async generator, so a bad request or a missing key rejects the first `next()`, not this call. */
  async *stream(request: ChatRequest, options: CallOptions = {}): AsyncGenerator<ChatEvent> {
    const call = {
      provider: this.provider,
      url: geminiMethodUrl(this.config, this.modelId, 'streamGenerateContent'),
      headers: this.config.headers(),
      body: convertToGeminiRequest(request, { modelId: this.modelId }),
    };
    yield* streamEvents(
      call,
      mapGeminiError,
      () =>
        createGeminiStreamTranslator({
          requestedModel: this.modelId,
          cost: (model, usage) => this.cost(model, usage),
        }),
      options,
      this.config,
    );
  }

  /** Priced by the version Gemini reports ("gemini-2.5-flash-001"), else by the id that was asked for. */
  private cost(model: string, usage: Usage): Cost | undefined {
    return (
      costOf(model, usage, this.provider, this.config.pricing) ??
      (model === this.modelId ? undefined : costOf(this.modelId, usage, this.provider, this.config.pricing))
    );
  }
}
