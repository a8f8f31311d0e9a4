/**
 * Policies are model wrappers: `(model) => LanguageModel`. The gateway's stack (trace, usage log, key
 * limits, budget, response cache) is a list of them around a router, and a library user composes the
 * same ones around any model with `wrapModel`. `interceptCalls` is the shape most policies share:
 * admit a call (or refuse it by throwing), see its events, and settle once when it ends — for
 * `generate` and `stream` alike, on success, failure and early cancellation.
 *
 * @example
 * const model = wrapModel(router, [trace({ recorder }), usageLog({ logger, metrics }), budget({ guard })]);
 */
import type { ChatEvent, ChatResult, Cost, Usage } from '../../core/chat-event.js';
import type { ChatRequest } from '../../core/chat-request.js';
import { ConduitError, toConduitError } from '../../core/errors.js';
import type { CallOptions, CallReport, LanguageModel } from '../../core/language-model.js';
import { replayResult } from '../../core/replay-result.js';

export type ModelPolicy = (model: LanguageModel) => LanguageModel;

/** Wraps `model` in `policies`, the first outermost (it sees a call first and settles it last). */
export function wrapModel(model: LanguageModel, policies: readonly ModelPolicy[]): LanguageModel {
  let wrapped = model;
  for (let i = policies.length - 1; i >= 0; i--) wrapped = policies[i]!(wrapped);
  return wrapped;
}

/** How a call ended, as far as the layer that intercepted it saw. */
export interface CallOutcome {
  usage?: Usage;
  cost?: Cost;
  /** Absent on success. A stream the caller stopped early ends with a `cancelled` error. */
  error?: ConduitError;
  /** The whole result, for `generate` calls. */
  result?: ChatResult;
}

export interface Interception {
  /** An answer given without calling the model (a cache hit); replayed as events to a stream. */
  answer?: ChatResult;
  /** Options passed to the inner model instead of the caller's (e.g. with a child trace context). */
  options?: CallOptions;
  /** Sees each stream event before the caller does. */
  onEvent?(event: ChatEvent): void;
  /** Called exactly once when the call ends. */
  settle?(outcome: CallOutcome): void;
}

/** Admits a call: throw to refuse it, return what to do while it runs (or nothing). */
export type Intercept = (
  request: ChatRequest,
  options: CallOptions,
) => Interception | undefined | Promise<Interception | undefined>;

/**
 * The identity fields of a wrapped model: a wrapper answers as the model it wraps. A router's
 * `deployments` pass through too: they price a call before it runs (the budget's `estimateCost`),
 * whichever layers sit between the budget and the router.
 */
export function sameIdentity(
  model: LanguageModel,
): Pick<LanguageModel, 'id' | 'provider' | 'modelId' | 'capabilities'> {
  const identity = {
    id: model.id,
    provider: model.provider,
    modelId: model.modelId,
    capabilities: model.capabilities,
  };
  const { deployments } = model as { deployments?: unknown };
  return deployments === undefined ? identity : Object.assign(identity, { deployments });
}

/** The call's report, created when the caller did not pass one, so layers below can fill it in. */
export function withReport(options: CallOptions): CallOptions & { report: CallReport } {
  if (options.report) return options as CallOptions & { report: CallReport };
  return { ...options, report: { attempts: [] } };
}

/** A model that runs `intercept` around every call to `model`. */
export function interceptCalls(model: LanguageModel, intercept: Intercept): LanguageModel {
  return {
    ...sameIdentity(model),
    async generate(request, options = {}) {
      const admitted = intercept(request, options);
      // Most admissions are synchronous (no key, nothing to check): no extra turn for those.
      const hooks = admitted instanceof Promise ? await admitted : admitted;
      if (!hooks) return model.generate(request, options);
      try {
        const result = hooks?.answer ?? (await model.generate(request, hooks?.options ?? options));
        hooks?.settle?.({ usage: result.usage, cost: result.cost, result });
        return result;
      } catch (thrown) {
        hooks?.settle?.({ error: toConduitError(thrown) });
        throw thrown;
      }
    },
    stream(request, options = {}) {
      return observeStream(request, options, model, intercept);
    },
  };
}

/**
 * The stream of `model` with `intercept` run when the caller asks for the first event (so a refusal
 * rejects the first `next()`, before any byte is sent). A plain iterator rather than an async
 * generator: one promise per event per layer, which matters with five layers on every chunk.
 */
function observeStream(
  request: ChatRequest,
  options: CallOptions,
  model: LanguageModel,
  intercept: Intercept,
): AsyncIterable<ChatEvent> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<ChatEvent> {
      let hooks: Interception | undefined;
      let inner: AsyncIterator<ChatEvent> | Iterator<ChatEvent> | undefined;
      let usage: Usage | undefined;
      let cost: Cost | undefined;
      let error: ConduitError | undefined;
      let ended = false;
      const settle = (outcome: CallOutcome) => {
        if (ended) return;
        ended = true;
        hooks?.settle?.(outcome);
      };
      // A layer with nothing to do for this call passes the inner steps straight through.
      let passThrough = false;
      const onStep = (step: IteratorResult<ChatEvent>): IteratorResult<ChatEvent> => {
        if (step.done) {
          settle({ usage, cost, error });
          return step;
        }
        const event = step.value;
        if (event.type === 'usage') {
          usage = event.usage;
          cost = event.cost;
        } else if (event.type === 'error') error = event.error;
        hooks?.onEvent?.(event);
        return step;
      };
      const onFailure = (thrown: unknown): never => {
        settle({ usage, cost, error: toConduitError(thrown) });
        throw thrown;
      };
      // Steps are chained with then() rather than awaited in an async function: one promise per
      // event per layer instead of three, which counts with several layers on every chunk.
      const pull = (): Promise<IteratorResult<ChatEvent>> => {
        try {
          return Promise.resolve(inner!.next()).then(onStep, onFailure);
        } catch (thrown) {
          return Promise.reject(thrown).catch(onFailure);
        }
      };
      const start = async (): Promise<IteratorResult<ChatEvent>> => {
        try {
          const admitted = intercept(request, options);
          hooks = admitted instanceof Promise ? await admitted : admitted;
          inner = hooks?.answer
            ? replayResult(hooks.answer, { textChunkSize: 64 })
            : model.stream(request, hooks?.options ?? options)[Symbol.asyncIterator]();
        } catch (thrown) {
          onFailure(thrown);
        }
        if (!hooks) passThrough = true;
        return passThrough ? inner!.next() : pull();
      };
      return {
        next(): Promise<IteratorResult<ChatEvent>> {
          if (passThrough) return inner!.next() as Promise<IteratorResult<ChatEvent>>;
          if (ended) return Promise.resolve({ done: true, value: undefined });
          return inner ? pull() : start();
        },
        async return(): Promise<IteratorResult<ChatEvent>> {
          if (passThrough) {
            await inner?.return?.();
            return { done: true, value: undefined };
          }
          if (!ended) {
            // Inner layers first, as on every other path: the router records its attempt when its
            // stream closes, and the outer layers (usage log, trace) read it when they settle.
            try {
              await inner?.return?.();
            } finally {
              settle({
                usage,
                cost,
                error:
                  error ??
                  new ConduitError('cancelled', 'The caller stopped reading before the stream ended'),
              });
            }
          }
          return { done: true, value: undefined };
        },
      };
    },
  };
}
