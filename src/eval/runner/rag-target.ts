/**
 * A RAG collection's `ask` as a target: the question is the rendered prompt's last user message (or
 * `vars.question`), the output is the cited answer, and the retrieved passages travel along as
 * contexts for faithfulness and the other RAG metrics. `src/rag` is imported lazily, by a computed
 * specifier, so evaluation builds and runs without it; a rag target then fails with a clear error.
 *
 * @example
 * const target = createRagTarget({ id: 'handbook', store: storage.documents, collection: 'handbook', model });
 */
import type { Cost, Usage } from '../../core/chat-event.js';
import { ConduitError } from '../../core/errors.js';
import type { CallOptions, EmbeddingModel, LanguageModel } from '../../core/language-model.js';
import type { DocumentStore } from '../../storage/ports/document-store.js';
import { questionOf } from '../suite/build-messages.js';
import type { EvalTarget } from './eval-target.js';
import type { Limiter } from './limiter.js';

/** The part of `conduit-llm/rag`'s `ask` a target needs; kept here so eval does not depend on rag's types. */
export type AskFunction = (options: {
  store: DocumentStore;
  collection: string;
  question: string;
  model?: LanguageModel;
  embedder?: EmbeddingModel;
  retrieval?: { k?: number; mode?: 'bm25' | 'dense' | 'hybrid' };
  verify?: boolean;
  callOptions?: CallOptions;
}) => Promise<{
  answer: string;
  status: string;
  sources: { n: number; hit: { chunk: { text: string } } }[];
  usage: Usage;
  cost?: Cost;
}>;

export interface RagTargetOptions {
  id: string;
  store: DocumentStore;
  collection: string;
  model?: LanguageModel;
  embedder?: EmbeddingModel;
  retrieval?: { k?: number; mode?: 'bm25' | 'dense' | 'hybrid' };
  verify?: boolean;
  /** The `ask` to use; by default `conduit-llm/rag`'s, loaded on first call. */
  ask?: AskFunction;
  limit?: Limiter;
}

let loaded: Promise<AskFunction> | undefined;

/** Loads `ask` from src/rag, or explains that RAG is not part of this build. */
export function loadRagAsk(): Promise<AskFunction> {
  // A computed specifier keeps TypeScript and bundlers from requiring the module at build time.
  const specifier = new URL('../../rag/answer/ask.js', import.meta.url).href;
  loaded ??= import(specifier).then(
    (module: { ask?: AskFunction }) => {
      if (typeof module.ask !== 'function') throw new Error('src/rag does not export ask()');
      return module.ask;
    },
    (cause: unknown) => {
      loaded = undefined;
      throw new ConduitError('unsupported', 'RAG targets need conduit-llm/rag, which is not in this build', {
        param: 'target',
        cause,
      });
    },
  );
  return loaded;
}

export function createRagTarget(options: RagTargetOptions): EvalTarget {
  const limit: Limiter = options.limit ?? ((task) => task());
  return {
    id: options.id,
    limited: options.limit !== undefined,
    async call({ messages, vars, signal, trace }) {
      const ask = options.ask ?? (await loadRagAsk());
      const started = performance.now();
      const result = await limit(() =>
        ask({
          store: options.store,
          collection: options.collection,
          question: questionOf(messages, vars),
          ...(options.model ? { model: options.model } : {}),
          ...(options.embedder ? { embedder: options.embedder } : {}),
          ...(options.retrieval ? { retrieval: options.retrieval } : {}),
          ...(options.verify ? { verify: true } : {}),
          ...(signal || trace
            ? { callOptions: { ...(signal ? { signal } : {}), ...(trace ? { trace } : {}) } }
            : {}),
        }),
      );
      return {
        text: result.answer,
        latencyMs: performance.now() - started,
        costUsd: result.cost?.total ?? (options.model ? null : 0),
        cached: false,
        usage: result.usage,
        contexts: result.sources.map((s) => s.hit.chunk.text),
        metadata: { status: result.status },
      };
    },
  };
}
