/**
 * Turns a suite's `targets:`, `judge:` and `embedding:` into runnable values. Evaluation never
 * resolves a model name itself (that needs conduit.yaml and the providers): the caller passes
 * `ModelFactories` — the CLI builds them from its model resolver — and this module adds what every
 * eval call gets: a concurrency and rate limit per target, and the response cache.
 *
 * @example
 * const targets = await createSuiteTargets(suite, factories, { cache, concurrency: 8 });
 */
import { ConduitError } from '../../core/errors.js';
import type { EmbeddingModel, LanguageModel } from '../../core/language-model.js';
import type { DocumentStore } from '../../storage/ports/document-store.js';
import type { Judge } from '../assertions/assertion-types.js';
import type { EvalSuite } from '../suite/eval-suite.js';
import { SAMPLING_KEYS, type TargetSpec } from '../suite/suite-schema.js';
import { withEmbeddingCache, withEvalCache } from './cached-models.js';
import type { ResponseCache } from './disk-cache.js';
import { createModelTarget, type EvalTarget, type Sampling } from './eval-target.js';
import { createLimiter } from './limiter.js';
import { createRagTarget } from './rag-target.js';

export interface ModelFactories {
  /** An alias from conduit.yaml or `provider:model`. */
  languageModel(spec: string): LanguageModel | Promise<LanguageModel>;
  embeddingModel?(spec: string): EmbeddingModel | Promise<EmbeddingModel>;
  /** A model behind an OpenAI-compatible base URL, such as a Conduit gateway. */
  gatewayModel(options: {
    baseURL: string;
    model: string;
    apiKey?: string;
    headers?: Record<string, string>;
  }): LanguageModel | Promise<LanguageModel>;
  /** What RAG targets need: the document store and each collection's query embedder. */
  rag?(): Promise<{
    store: DocumentStore;
    embedder(collection: string): Promise<EmbeddingModel | undefined>;
  }>;
}

export interface SuiteTargetOptions {
  cache?: ResponseCache;
  /** Calls at once per target without its own `concurrency` (default: the suite's, else 4). */
  concurrency?: number;
}

function samplingOf(spec: TargetSpec): Sampling {
  const out: Record<string, unknown> = {};
  for (const key of SAMPLING_KEYS) if (spec[key] !== undefined) out[key] = spec[key];
  return out as Sampling;
}

export async function createSuiteTargets(
  suite: EvalSuite,
  factories: ModelFactories,
  options: SuiteTargetOptions = {},
): Promise<EvalTarget[]> {
  const targets: EvalTarget[] = [];
  for (const spec of suite.targets) {
    const id = spec.id!;
    const limit = createLimiter({
      concurrency: spec.concurrency ?? options.concurrency ?? suite.concurrency ?? 4,
      ...(spec.rpm ? { rpm: spec.rpm } : {}),
    });
    const common = {
      id,
      ...(spec.label ? { label: spec.label } : {}),
      ...(spec.prompts ? { prompts: spec.prompts } : {}),
      ...(spec.thresholds ? { thresholds: spec.thresholds } : {}),
    };
    if (spec.rag) {
      if (!factories.rag)
        throw new ConduitError('unsupported', `target ${id}: RAG targets are not available here`);
      const rag = await factories.rag();
      const model = spec.rag.model
        ? withEvalCache(await factories.languageModel(spec.rag.model), {
            cache: options.cache,
            namespace: spec.rag.model,
          })
        : undefined;
      const embedder = await rag.embedder(spec.rag.collection);
      const target = createRagTarget({
        id,
        store: rag.store,
        collection: spec.rag.collection,
        ...(model ? { model } : {}),
        ...(embedder ? { embedder } : {}),
        retrieval: {
          ...(spec.rag.k ? { k: spec.rag.k } : {}),
          ...(spec.rag.mode ? { mode: spec.rag.mode } : {}),
        },
        ...(spec.rag.verify ? { verify: true } : {}),
        limit,
      });
      targets.push({ ...target, ...common, call: target.call });
      continue;
    }
    const model = spec.gateway
      ? await factories.gatewayModel({
          baseURL: spec.gateway,
          model: spec.model!,
          ...(spec.api_key ? { apiKey: spec.api_key } : {}),
          ...(spec.headers ? { headers: spec.headers } : {}),
        })
      : await factories.languageModel(spec.model!);
    // The cache key includes where the model lives, as written: two servers may share a model id.
    const namespace = spec.gateway ? `${spec.gateway} ${spec.model}` : spec.model!;
    targets.push(
      createModelTarget({
        ...common,
        model: withEvalCache(model, { cache: options.cache, limit, namespace }),
        sampling: samplingOf(spec),
      }),
    );
  }
  return targets;
}

/** The judge of model-graded assertions, limited and cached like a target. */
export async function createSuiteJudge(
  spec: { model: string; mode?: Judge['mode'] },
  factories: ModelFactories,
  options: SuiteTargetOptions = {},
): Promise<Judge> {
  const limit = createLimiter({ concurrency: options.concurrency ?? 4 });
  const model = withEvalCache(await factories.languageModel(spec.model), {
    cache: options.cache,
    limit,
    namespace: spec.model,
  });
  return { model, ...(spec.mode ? { mode: spec.mode } : {}) };
}

export async function createSuiteEmbedder(
  spec: { model: string },
  factories: ModelFactories,
  options: SuiteTargetOptions = {},
): Promise<EmbeddingModel> {
  if (!factories.embeddingModel)
    throw new ConduitError('unsupported', 'embedding models are not available here');
  const limit = createLimiter({ concurrency: options.concurrency ?? 4 });
  return withEmbeddingCache(await factories.embeddingModel(spec.model), {
    cache: options.cache,
    limit,
    namespace: spec.model,
  });
}
