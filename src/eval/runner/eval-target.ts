/**
 * What a suite runs its prompts against. A target takes the rendered conversation of one prompt ×
 * case and returns the output text with its cost and latency. Conduit ships model targets (any
 * LanguageModel: a provider, an alias, the gateway's router, an OpenAI-compatible URL, the local
 * engine) and RAG targets (a collection's `ask`); anything else — a pipeline, an agent, your own
 * HTTP service — is an object with this shape passed to `runSuite`.
 *
 * @example
 * const echo: EvalTarget = {
 *   id: 'echo',
 *   async call({ messages }) {
 *     return { text: String(messages.at(-1)?.content), latencyMs: 0, costUsd: 0, cached: false };
 *   },
 * };
 */
import type { Usage } from '../../core/chat-event.js';
import type { ChatRequest } from '../../core/chat-request.js';
import type { ChatMessage } from '../../core/messages.js';
import type { TraceContext } from '../../core/trace-context.js';
import type { EvalPrompt } from '../suite/eval-suite.js';
import type { Thresholds } from '../suite/suite-schema.js';
import type { EvalLanguageModel } from './cached-models.js';

export interface TargetInput {
  prompt: EvalPrompt;
  messages: ChatMessage[];
  vars: Record<string, unknown>;
  caseId: string;
  signal?: AbortSignal;
  /** The case's span: a target's model calls pass it as `callOptions.trace`, so they nest under it. */
  trace?: TraceContext;
}

export interface TargetOutput {
  text: string;
  latencyMs: number;
  /** USD; null when unknown. */
  costUsd: number | null;
  cached: boolean;
  usage?: Usage;
  /** Retrieved passages, for the RAG metrics. */
  contexts?: string[];
  /** Anything worth keeping with the result (citations, finish reason). */
  metadata?: Record<string, unknown>;
}

export interface EvalTarget {
  id: string;
  label?: string;
  /** Run only these prompt ids. */
  prompts?: string[];
  /** Thresholds for this target's cells, over the suite's. */
  thresholds?: Thresholds;
  /**
   * True when the target applies its own concurrency and rate limits (model targets do, so cache
   * hits skip the queue); otherwise the runner allows it `concurrency` calls at once.
   */
  limited?: boolean;
  call(input: TargetInput): Promise<TargetOutput>;
}

export type Sampling = Pick<
  ChatRequest,
  'temperature' | 'top_p' | 'top_k' | 'max_tokens' | 'seed' | 'stop' | 'reasoning_effort' | 'extra_body'
>;

/** A LanguageModel as a target: one `generate` per prompt × case, through the cache. */
export function createModelTarget(options: {
  id: string;
  model: EvalLanguageModel;
  sampling?: Sampling;
  label?: string;
  prompts?: string[];
  thresholds?: Thresholds;
}): EvalTarget {
  const { model, sampling = {} } = options;
  return {
    id: options.id,
    ...(options.label ? { label: options.label } : {}),
    ...(options.prompts ? { prompts: options.prompts } : {}),
    ...(options.thresholds ? { thresholds: options.thresholds } : {}),
    limited: true,
    async call({ prompt, messages, signal, trace }) {
      const request: ChatRequest = {
        messages,
        ...sampling,
        ...(prompt.responseFormat ? { response_format: prompt.responseFormat } : {}),
      };
      const { result, latencyMs, cached } = await model.generateWithInfo(request, {
        ...(signal ? { signal } : {}),
        ...(trace ? { trace } : {}),
      });
      // A tool-calling answer has no text: its calls are the output assertions look at.
      const text =
        result.text === '' && result.toolCalls.length > 0
          ? JSON.stringify(
              result.toolCalls.map((c) => ({ name: c.function.name, arguments: c.function.arguments })),
            )
          : result.text;
      return {
        text,
        latencyMs,
        costUsd: result.cost?.total ?? null,
        cached,
        usage: result.usage,
        metadata: { finishReason: result.finishReason, model: result.model },
      };
    },
  };
}
