/**
 * A LanguageModel over a GGUF model running in this process. Follows the stream contract of every
 * provider: failures before the first event (unknown model, unsupported field, context too long,
 * `overloaded`) reject the iteration; failures after it arrive as one `error` event. Breaking out of
 * the iteration, the caller's signal or a timeout stops generation and frees the sequence at once.
 */

import type { LlamaGrammar } from 'node-llama-cpp';
import type { ChatEvent, ChatResult, FinishReason } from '../core/chat-event.js';
import type { ChatRequest } from '../core/chat-request.js';
import { collectStream } from '../core/collect-stream.js';
import { ConduitError, toConduitError } from '../core/errors.js';
import { createAsyncQueue } from '../core/generate/async-queue.js';
import type { CallOptions, LanguageModel, ModelCapabilities } from '../core/language-model.js';
import { createCallScope } from '../core/timeouts.js';
import { planChat } from './chat/plan-chat.js';
import { runChat } from './chat/run-chat.js';
import { refuseUnsupported } from './chat/sampling-options.js';
import type { LoadedModel } from './loaded-model.js';
import type { LocalModelContext } from './local-model-context.js';

export class LocalLanguageModel implements LanguageModel {
  readonly id: string;
  readonly provider = 'local';
  readonly capabilities: ModelCapabilities = {
    tools: true,
    jsonSchema: true,
    jsonMode: true,
    images: false,
    audio: false,
  };

  constructor(
    readonly modelId: string,
    private readonly context: LocalModelContext,
  ) {
    this.id = `local:${modelId}`;
  }

  generate(request: ChatRequest, options?: CallOptions): Promise<ChatResult> {
    return collectStream(this.stream(request, options));
  }

  async *stream(request: ChatRequest, options: CallOptions = {}): AsyncGenerator<ChatEvent> {
    refuseUnsupported(request);
    const { context } = this;
    const arrivedAt = Date.now();
    const scope = createCallScope({
      signal: options.signal,
      timeout: { ...context.timeout, ...options.timeout },
      provider: 'local',
    });
    // Stops generation when the scope aborts (caller, timeout) and when the consumer walks away.
    const stop = new AbortController();
    const onAbort = () => stop.abort(scope.abortError());
    scope.signal.addEventListener('abort', onAbort, { once: true });
    const events = createAsyncQueue<ChatEvent>();
    let handle: Awaited<ReturnType<LocalModelContext['acquire']>> | undefined;
    let lease: { release(): void } | undefined;
    let running: Promise<FinishReason> | undefined;
    let started = false;
    let metricName: string | undefined;
    try {
      handle = await context.acquire(this.modelId);
      const { loaded } = handle;
      metricName = loaded.name;
      const plan = planChat(request, loaded);
      const grammar = plan.gbnf === undefined ? undefined : await compile(loaded, plan.gbnf);
      const acquired = await loaded.pool
        .acquire({
          signal: stop.signal,
          score: (sequence) => sequence.compareContextTokens(plan.promptTokens as never).firstDifferentIndex,
        })
        .catch((error: unknown) => {
          if (ConduitError.isInstance(error) && error.code === 'overloaded')
            context.metrics.rejected(loaded.name);
          throw error;
        });
      lease = acquired;
      context.metrics.observe(loaded.name, 'queueTime', acquired.waitedMs / 1000);
      started = true;
      yield {
        type: 'start',
        id: `chatcmpl-local-${Math.random().toString(36).slice(2, 14)}`,
        model: this.modelId,
        created: Math.floor(arrivedAt / 1000),
      };
      running = runChat({
        loaded,
        sequence: acquired.value,
        plan,
        grammar,
        request,
        defaults: context.sampling,
        signal: stop.signal,
        events,
        onToken: () => scope.touch(),
        metrics: context.metrics,
        arrivedAt,
      });
      running.then(
        () => events.close(),
        (error: unknown) => events.fail(error),
      );
      for await (const event of events) yield event;
      const reason = await running;
      context.metrics.observe(loaded.name, 'e2eLatency', (Date.now() - arrivedAt) / 1000);
      context.metrics.finished(loaded.name, reason);
    } catch (raw) {
      const error = toConduitError(scope.explain(raw), 'local');
      if (metricName && started)
        context.metrics.finished(metricName, error.code === 'cancelled' ? 'cancelled' : 'error');
      if (!started) throw error;
      yield { type: 'error', error };
    } finally {
      stop.abort(
        new ConduitError('cancelled', 'The stream was closed by its consumer', { provider: 'local' }),
      );
      // The sequence is free only once generation has really stopped.
      if (running) await running.catch(() => {});
      lease?.release();
      handle?.release();
      scope.signal.removeEventListener('abort', onAbort);
      scope.dispose();
    }
  }

  /** The model's own tokenization of plain text (loads the model if needed). */
  async tokenize(text: string): Promise<number[]> {
    const handle = await this.context.acquire(this.modelId);
    try {
      return handle.loaded.model.tokenize(text);
    } finally {
      handle.release();
    }
  }

  async detokenize(tokens: readonly number[]): Promise<string> {
    const handle = await this.context.acquire(this.modelId);
    try {
      return handle.loaded.model.detokenize(tokens as Parameters<typeof handle.loaded.model.detokenize>[0]);
    } finally {
      handle.release();
    }
  }
}

/** Our converters produce the GBNF, so a grammar llama.cpp rejects is our bug: say so plainly. */
async function compile(loaded: LoadedModel, gbnf: string): Promise<LlamaGrammar> {
  try {
    return await loaded.grammar(gbnf);
  } catch (cause) {
    throw new ConduitError(
      'internal',
      `llama.cpp rejected the grammar generated for this request: ${(cause as Error).message}`,
      {
        provider: 'local',
        details: { gbnf },
        cause,
      },
    );
  }
}
