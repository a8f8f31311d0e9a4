/**
 * An EmbeddingModel over OpenAI's /embeddings wire format, batching inputs past the server's limit.
 */
import { ConduitError } from '../../core/errors.js';
import type { EmbeddingModel, EmbeddingOptions, EmbeddingResult } from '../../core/language-model.js';
import { costOf } from '../shared/cost-of.js';
import { requestJson } from '../shared/http-transport.js';
import { mapOpenAIError } from './map-openai-error.js';
import type { OpenAIEmbeddingResponse } from './openai-api.js';
import type { OpenAIClientConfig } from './openai-client-config.js';

export class OpenAIEmbeddingModel implements EmbeddingModel {
  readonly id: string;
  readonly provider: string;
  readonly maxBatchSize = 2048;

  constructor(
    readonly modelId: string,
    private readonly config: OpenAIClientConfig,
  ) {
    this.provider = config.provider;
    this.id = `${config.provider}:${modelId}`;
  }

  async embed(texts: string[], options: EmbeddingOptions = {}): Promise<EmbeddingResult> {
    const embeddings: number[][] = [];
    let promptTokens = 0;
    let model = this.modelId;
    for (let start = 0; start < texts.length; start += this.maxBatchSize) {
      const batch = texts.slice(start, start + this.maxBatchSize);
      const body: Record<string, unknown> = { model: this.modelId, input: batch, encoding_format: 'float' };
      if (options.dimensions !== undefined) body.dimensions = options.dimensions;
      const { json } = await requestJson<OpenAIEmbeddingResponse>(
        {
          provider: this.provider,
          url: this.config.url('embeddings', this.modelId),
          headers: this.config.headers(),
          body,
        },
        mapOpenAIError(this.provider),
        options,
        this.config,
      );
      if (!Array.isArray(json.data) || json.data.length !== batch.length) {
        throw new ConduitError(
          'invalid_response',
          `${this.provider} returned ${json.data?.length ?? 0} embeddings for ${batch.length} inputs`,
          {
            provider: this.provider,
          },
        );
      }
      const ordered = [...json.data].sort((a, b) => a.index - b.index);
      for (const item of ordered) embeddings.push(decodeEmbedding(item.embedding));
      promptTokens += json.usage?.prompt_tokens ?? 0;
      if (json.model) model = json.model;
    }
    const usage = { promptTokens, totalTokens: promptTokens };
    const cost = costOf(model, { ...usage, completionTokens: 0 }, this.provider, this.config.pricing);
    const result: EmbeddingResult = { embeddings, model, usage };
    if (cost) result.costUsd = cost.total;
    return result;
  }
}

/** Servers answer floats, or base64 little-endian float32 when asked for it. */
function decodeEmbedding(value: number[] | string): number[] {
  if (Array.isArray(value)) return value;
  const bytes = Buffer.from(value, 'base64');
  return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
}
