/**
 * Scripted stand-ins for what the gateway's policies wrap: a LanguageModel whose calls answer, stream,
 * fail before their first event or mid-stream, or wait on a gate the test opens; an embedding model;
 * and a one-deployment router over either, so report attempts and spans are the real router's.
 */
import type { ChatEvent, ChatResult, Cost, Usage } from '../../../core/chat-event.js';
import type { ChatRequest } from '../../../core/chat-request.js';
import type { ConduitError } from '../../../core/errors.js';
import type {
  CallOptions,
  EmbeddingModel,
  EmbeddingOptions,
  LanguageModel,
} from '../../../core/language-model.js';
import { createDeployment } from '../../deployment.js';
import { createDeploymentHealth } from '../../deployment-health.js';
import { createEmbeddingRouter } from '../../embedding-router.js';
import { createRouter, type RouterModel } from '../../router.js';

export const USAGE: Usage = { promptTokens: 3, completionTokens: 5, totalTokens: 8 };
export const COST: Cost = { input: 0.001, cachedInput: 0, output: 0.002, total: 0.003 };

/** What one call does; a model with no step left answers with the defaults. */
export interface FakeStep {
  /** Default 'Hello from the fake model'. */
  text?: string;
  usage?: Usage;
  /** `null` for a model without a price. */
  cost?: Cost | null;
  /** Thrown before any event: `generate` rejects, a stream's first `next()` rejects. */
  fail?: ConduitError;
  /** Streams only: an `error` event after the first text delta, then the end. */
  failMidStream?: ConduitError;
  /** The call waits for it before answering (before its first event). */
  gate?: Promise<unknown>;
}

export interface FakeModel extends LanguageModel {
  /** Every call, in order, with the options it was made with. */
  readonly calls: { request: ChatRequest; options: CallOptions | undefined }[];
  /** Streams the consumer closed before their end (a provider would close its socket). */
  readonly closedEarly: number;
}

export interface FakeModelOptions {
  /** Default 'fake-model'. */
  modelId?: string;
  steps?: FakeStep[];
  /** Characters per text delta. Default 5. */
  chunkSize?: number;
  /** Called as each call arrives, before it waits on its gate. */
  onCall?: () => void;
}

export function createFakeModel(options: FakeModelOptions = {}): FakeModel {
  const steps = [...(options.steps ?? [])];
  const size = options.chunkSize ?? 5;
  const calls: FakeModel['calls'] = [];
  let closedEarly = 0;
  const modelId = options.modelId ?? 'fake-model';

  const take = (request: ChatRequest, callOptions: CallOptions | undefined): FakeStep => {
    calls.push({ request, options: callOptions });
    options.onCall?.();
    return steps.shift() ?? {};
  };
  const resultOf = (step: FakeStep): ChatResult => {
    const text = step.text ?? 'Hello from the fake model';
    const result: ChatResult = {
      id: `fake-${calls.length}`,
      model: modelId,
      created: 1,
      text,
      toolCalls: [],
      finishReason: 'stop',
      choices: [{ index: 0, text, toolCalls: [], finishReason: 'stop' }],
      usage: step.usage ?? USAGE,
    };
    if (step.cost !== null) result.cost = step.cost ?? COST;
    return result;
  };

  return {
    id: `fake:${modelId}`,
    provider: 'fake',
    modelId,
    calls,
    get closedEarly() {
      return closedEarly;
    },
    async generate(request, callOptions) {
      const step = take(request, callOptions);
      await step.gate;
      if (step.fail) throw step.fail;
      return resultOf(step);
    },
    async *stream(request, callOptions): AsyncGenerator<ChatEvent> {
      const step = take(request, callOptions);
      await step.gate;
      if (step.fail) throw step.fail;
      const result = resultOf(step);
      let ended = false;
      try {
        yield { type: 'start', id: result.id, model: result.model, created: result.created };
        for (let i = 0; i < result.text.length; i += size) {
          yield { type: 'text-delta', text: result.text.slice(i, i + size) };
          if (step.failMidStream) {
            ended = true;
            yield { type: 'error', error: step.failMidStream };
            return;
          }
        }
        yield result.cost
          ? { type: 'usage', usage: result.usage, cost: result.cost }
          : { type: 'usage', usage: result.usage };
        yield { type: 'finish', reason: 'stop' };
        ended = true;
      } finally {
        if (!ended) closedEarly++;
      }
    },
  };
}

export interface FakeEmbeddingModel extends EmbeddingModel {
  readonly calls: { texts: string[]; options: EmbeddingOptions | undefined }[];
}

/** Embeds each text as `[length, 1]`; `fail` is thrown by the next calls, in order. */
export function createFakeEmbeddingModel(
  options: { fail?: ConduitError[]; costUsd?: number } = {},
): FakeEmbeddingModel {
  const failures = [...(options.fail ?? [])];
  const calls: FakeEmbeddingModel['calls'] = [];
  return {
    id: 'fake:embedder',
    provider: 'fake',
    modelId: 'embedder',
    dimensions: 2,
    calls,
    async embed(texts, embedOptions) {
      calls.push({ texts, options: embedOptions });
      const failure = failures.shift();
      if (failure) throw failure;
      const tokens = texts.join(' ').length;
      return {
        embeddings: texts.map((t) => [t.length, 1]),
        model: 'embedder',
        usage: { promptTokens: tokens, totalTokens: tokens },
        costUsd: options.costUsd ?? 0.0001,
      };
    },
  };
}

/** A router over one deployment (`<alias>/0`) serving `model`, attempting it once. */
export function routerOver(
  model: LanguageModel | EmbeddingModel,
  options: { alias?: string; provider?: string; model?: string } = {},
): RouterModel {
  return createRouter({
    alias: options.alias ?? 'fast',
    strategy: 'fallback',
    deployments: [deploymentOf(model, options)],
    health: createDeploymentHealth({ failures: 100, cooldownMs: 1000 }),
    attemptsPerDeployment: 1,
  });
}

/** An embedding router over one deployment (`<alias>/0`) serving `model`. */
export function embeddingRouterOver(model: EmbeddingModel, options: { alias?: string } = {}): EmbeddingModel {
  return createEmbeddingRouter({
    alias: options.alias ?? 'embed',
    deployments: [deploymentOf(model, { alias: options.alias ?? 'embed' })],
    health: createDeploymentHealth({ failures: 100, cooldownMs: 1000 }),
  });
}

function deploymentOf(
  model: LanguageModel | EmbeddingModel,
  options: { alias?: string; provider?: string; model?: string },
) {
  return createDeployment({
    alias: options.alias ?? 'fast',
    index: 0,
    provider: options.provider ?? model.provider,
    model: options.model ?? model.modelId,
    createLanguageModel: () => model as LanguageModel,
    createEmbeddingModel: () => model as EmbeddingModel,
  });
}

/** A promise and the function that resolves it: a gate a test opens when it chooses. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
