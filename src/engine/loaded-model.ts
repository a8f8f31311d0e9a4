/**
 * One GGUF model in memory: the llama.cpp model, one context holding `sequences` parallel sequences
 * (batched decoding: the library evaluates all busy sequences in one batch), the pool that leases
 * them, the model's own chat template, and — on first use — an embedding context.
 */
import type {
  ChatWrapper,
  Llama,
  LlamaContext,
  LlamaContextSequence,
  LlamaEmbeddingContext,
  LlamaGrammar,
  LlamaModel,
  ResolvableChatWrapperTypeName,
} from 'node-llama-cpp';
import { ConduitError } from '../core/errors.js';
import { findByteTokens, type Utf8Guard } from './chat/utf8-guard.js';
import type { EngineMetrics } from './engine-metrics.js';
import { importNodeLlamaCpp } from './runtime/llama-runtime.js';
import { SequencePool } from './sequence-pool.js';

export type NodeLlamaCpp = typeof import('node-llama-cpp');

/** How one model runs; every field has an engine-wide default and a per-model override. */
export interface ModelRuntimeOptions {
  /** CPU threads for this model's contexts. */
  threads: number;
  /** Tokens per sequence (prompt + answer). */
  contextSize: number;
  /** Parallel sequences: requests generating at the same time. */
  sequences: number;
  /** Requests that may wait for a sequence before new ones get `overloaded`. */
  maxWaiting: number;
  /** Tokens per decode batch; the library default (512) fits most uses. */
  batchSize?: number;
  /** Layers to offload to a GPU when one is available. */
  gpuLayers?: number | 'auto';
  /** Tokens per text for embeddings (default: min(contextSize, 2048)). */
  embeddingContextSize?: number;
  /**
   * Chat wrapper: 'auto' (default) lets node-llama-cpp pick the best match for the model's template —
   * a specialised wrapper when the template matches one, else the template itself ('jinjaTemplate');
   * a wrapper name forces it (e.g. 'jinjaTemplate' renders the GGUF's own template verbatim and
   * skips the 0.5-2.5 s matching).
   */
  chatWrapper?: 'auto' | ResolvableChatWrapperTypeName;
}

export interface LoadedModel {
  readonly path: string;
  /** The name metrics and errors use. */
  readonly name: string;
  readonly lib: NodeLlamaCpp;
  readonly llama: Llama;
  readonly model: LlamaModel;
  readonly context: LlamaContext;
  readonly pool: SequencePool<LlamaContextSequence>;
  readonly chatWrapper: ChatWrapper;
  readonly options: ModelRuntimeOptions;
  /** Actual tokens per sequence (llama.cpp may round up). */
  readonly contextSize: number;
  readonly utf8Guard: Utf8Guard | undefined;
  /** Most tokens one embedding input may have. */
  readonly embeddingContextSize: number;
  grammar(gbnf: string): Promise<LlamaGrammar>;
  embeddingContext(): Promise<LlamaEmbeddingContext>;
  /** Runs embedding work one call at a time (the embedding context has one sequence). */
  withEmbedding<T>(work: (context: LlamaEmbeddingContext) => Promise<T>): Promise<T>;
  dispose(): Promise<void>;
}

export async function loadLlamaModel(options: {
  path: string;
  name: string;
  llama: Llama;
  runtime: ModelRuntimeOptions;
  metrics?: EngineMetrics;
}): Promise<LoadedModel> {
  const { path, name, llama, runtime, metrics } = options;
  const lib = await importNodeLlamaCpp();
  let model: LlamaModel;
  try {
    model = await llama.loadModel({
      modelPath: path,
      ...(runtime.gpuLayers !== undefined ? { gpuLayers: runtime.gpuLayers } : {}),
    });
  } catch (cause) {
    throw new ConduitError('bad_request', `Could not load ${path}: ${(cause as Error).message}`, {
      provider: 'local',
      param: 'model',
      cause,
    });
  }
  let context: LlamaContext;
  try {
    context = await model.createContext({
      contextSize: Math.min(runtime.contextSize, model.trainContextSize),
      sequences: runtime.sequences,
      threads: runtime.threads,
      ...(runtime.batchSize !== undefined ? { batchSize: runtime.batchSize } : {}),
      // Parallel sequences go into one batch as soon as the event loop turns.
      batching: { dispatchSchedule: 'nextCycle', itemPrioritizationStrategy: 'maximumParallelism' },
    });
  } catch (cause) {
    await model.dispose();
    throw new ConduitError(
      'overloaded',
      `Not enough memory for ${runtime.sequences} sequences of ${runtime.contextSize} tokens on ${name}: ${(cause as Error).message}`,
      { provider: 'local', retryable: false, cause },
    );
  }
  const sequences = Array.from({ length: runtime.sequences }, () => context.getSequence());
  const pool = new SequencePool(sequences, {
    name,
    maxWaiting: runtime.maxWaiting,
    onChange: (load) => metrics?.setLoad(name, load),
  });
  const chatWrapper =
    runtime.chatWrapper && runtime.chatWrapper !== 'auto'
      ? lib.resolveChatWrapper(model, { type: runtime.chatWrapper })
      : await resolveWrapper(lib, model, path);
  const embeddingContextSize = Math.min(
    runtime.embeddingContextSize ?? Math.min(runtime.contextSize, 2048),
    model.trainContextSize,
  );
  const grammars = new Map<string, Promise<LlamaGrammar>>();
  let embedding: Promise<LlamaEmbeddingContext> | undefined;
  let embeddingQueue: Promise<unknown> = Promise.resolve();

  const loaded: LoadedModel = {
    path,
    name,
    lib,
    llama,
    model,
    context,
    pool,
    chatWrapper,
    options: runtime,
    contextSize: context.contextSize,
    utf8Guard: findByteTokens(model),
    embeddingContextSize,
    grammar(gbnf) {
      let grammar = grammars.get(gbnf);
      if (!grammar) {
        grammar = llama.createGrammar({ grammar: gbnf });
        grammar.catch(() => grammars.delete(gbnf));
        // A handful of schemas repeat in practice; keep the most recent 32.
        if (grammars.size >= 32) grammars.delete(grammars.keys().next().value as string);
        grammars.set(gbnf, grammar);
      }
      return grammar;
    },
    embeddingContext() {
      embedding ??= model.createEmbeddingContext({
        contextSize: embeddingContextSize,
        threads: runtime.threads,
      });
      return embedding;
    },
    withEmbedding(work) {
      const run = embeddingQueue.then(async () => work(await loaded.embeddingContext()));
      embeddingQueue = run.catch(() => {});
      return run;
    },
    async dispose() {
      pool.rejectWaiting(
        new ConduitError('overloaded', `Local model "${name}" was unloaded`, {
          provider: 'local',
          retryAfterMs: 1000,
        }),
      );
      metrics?.setLoad(name, { running: 0, waiting: 0 });
      if (embedding) await (await embedding.catch(() => undefined))?.dispose();
      await context.dispose();
      await model.dispose();
    },
  };
  return loaded;
}

/** Chat wrapper type chosen per model file (path, size, mtime) in this process. */
const wrapperTypes = new Map<string, string>();

/**
 * The model's chat wrapper. The library's resolution compares the GGUF's Jinja template against
 * every specialised wrapper (0.5–2.5 s on a small CPU); the choice is remembered per file, so
 * reloading a model after its keep-alive costs milliseconds.
 */
async function resolveWrapper(lib: NodeLlamaCpp, model: LlamaModel, path: string): Promise<ChatWrapper> {
  const { stat } = await import('node:fs/promises');
  const info = await stat(path);
  const key = `${path}\0${info.size}\0${info.mtimeMs}`;
  const known = wrapperTypes.get(key);
  if (known) return lib.resolveChatWrapper(model, { type: known as ResolvableChatWrapperTypeName });
  const wrapper = lib.resolveChatWrapper(model);
  const type = Object.entries(lib.chatWrappers).find(
    ([, wrapperClass]) => wrapper.constructor === wrapperClass,
  )?.[0];
  if (type) wrapperTypes.set(key, type);
  return wrapper;
}
