/**
 * An EmbeddingModel over Gemini's `batchEmbedContents`, splitting inputs into batches of 100 (the
 * API's limit per call) and telling the model whether a text is a query or a document.
 */
import { ConduitError } from '../../core/errors.js';
import type { EmbeddingModel, EmbeddingOptions, EmbeddingResult } from '../../core/language-model.js';
import { costOf } from '../shared/cost-of.js';
import { requestJson } from '../shared/http-transport.js';
import type { GeminiBatchEmbedResponse } from './gemini-api.js';
import { type GoogleClientConfig, geminiMethodUrl, geminiResourceName } from './google-client-config.js';
import { mapGeminiError } from './map-gemini-error.js';

const KNOWN_DIMENSIONS: Record<string, number> = {
  'gemini-embedding-001': 3072,
  'text-embedding-004': 768,
  'embedding-001': 768,
};

const TASK_TYPES = { query: 'RETRIEVAL_QUERY', document: 'RETRIEVAL_DOCUMENT' } as const;

export class GeminiEmbeddingModel implements EmbeddingModel {
  readonly id: string;
  readonly provider = 'google';
  readonly maxBatchSize = 100;
  readonly dimensions?: number;

  constructor(
    readonly modelId: string,
    private readonly config: GoogleClientConfig,
  ) {
    this.id = `google:${modelId}`;
    this.dimensions = KNOWN_DIMENSIONS[modelId.replace(/^models\//, '')];
  }

  /**
   * @example
   * const { embeddings } = await google.embeddingModel('gemini-embedding-001').embed(['a', 'b'], { inputType: 'document' });
   */
  async embed(texts: string[], options: EmbeddingOptions = {}): Promise<EmbeddingResult> {
    const embeddings: number[][] = [];
    const model = geminiResourceName(this.modelId);
    for (let start = 0; start < texts.length; start += this.maxBatchSize) {
      const batch = texts.slice(start, start + this.maxBatchSize);
      const requests = batch.map((text) => {
        const item: Record<string, unknown> = { model, content: { parts: [{ text }] } };
        if (options.inputType) item.taskType = TASK_TYPES[options.inputType];
        if (options.dimensions !== undefined) item.outputDimensionality = options.dimensions;
        return item;
      });
      const { json } = await requestJson<GeminiBatchEmbedResponse>(
        {
          provider: this.provider,
          url: geminiMethodUrl(this.config, this.modelId, 'batchEmbedContents'),
          headers: this.config.headers(),
          body: { requests },
        },
        mapGeminiError,
        options,
        this.config,
      );
      const vectors = json.embeddings ?? [];
      if (vectors.length !== batch.length || vectors.some((v) => !Array.isArray(v.values))) {
        throw new ConduitError(
          'invalid_response',
          `google returned ${vectors.length} embeddings for ${batch.length} inputs`,
          {
            provider: this.provider,
          },
        );
      }
      for (const vector of vectors) embeddings.push(vector.values!);
    }
    // The Gemini API reports no token counts for embeddings; zero says "unknown", not "free".
    const usage = { promptTokens: 0, totalTokens: 0 };
    const result: EmbeddingResult = { embeddings, model: this.modelId, usage };
    const cost = costOf(this.modelId, { ...usage, completionTokens: 0 }, this.provider, this.config.pricing);
    if (cost && cost.total > 0) result.costUsd = cost.total;
    return result;
  }
}
