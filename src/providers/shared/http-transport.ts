/**
 * The HTTP transport every hosted provider shares: undici keep-alive pools, layered timeouts, retries
 * before the first byte, an AbortSignal that reaches the socket, and SSE decoding without Web Streams.
 * A provider contributes only pure functions: build the body, map the response, map the errors.
 */
import { Agent, type Dispatcher, request } from 'undici';
import type { ChatEvent } from '../../core/chat-event.js';
import { ConduitError, toConduitError } from '../../core/errors.js';
import type { CallOptions } from '../../core/language-model.js';
import {
  type RetryContext,
  type RetryPolicy,
  resolveRetryPolicy,
  retryDelay,
  sleep,
  withRetry,
} from '../../core/retry.js';
import { createSseParser, type SseEvent } from '../../core/sse/parse-sse.js';
import { type CallScope, createCallScope, type Timeouts } from '../../core/timeouts.js';

export type HttpHeaders = Record<string, string | string[] | undefined>;

/** Turns an upstream error response into a ConduitError (provider-specific body shapes). */
export type ErrorMapper = (status: number, body: string, headers: HttpHeaders) => ConduitError;

export interface HttpCall {
  provider: string;
  url: string;
  method?: 'GET' | 'POST' | 'DELETE';
  headers: Record<string, string>;
  body?: unknown;
}

/** Defaults a provider instance applies under each call's own options. */
export interface TransportDefaults {
  timeout?: Timeouts;
  retry?: Partial<RetryPolicy> | false;
  dispatcher?: Dispatcher;
  /** Called before each retry (logs, metrics). */
  onRetry?: (info: { attempt: number; error: ConduitError; delayMs: number }) => void;
}

/** One shared keep-alive pool per process: connection reuse is most of a gateway's speed. */
let sharedDispatcher: Dispatcher | undefined;
export function defaultDispatcher(): Dispatcher {
  sharedDispatcher ??= new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    connections: 512,
  });
  return sharedDispatcher;
}

export const DEFAULT_TIMEOUTS: Timeouts = { totalMs: 600_000, firstTokenMs: 120_000, idleMs: 120_000 };

interface Attempt {
  scope: CallScope;
  status: number;
  headers: HttpHeaders;
  body: AsyncIterable<Uint8Array> & { destroy(error?: Error): void; text(): Promise<string> };
}

async function send(
  call: HttpCall,
  signal: AbortSignal,
  dispatcher: Dispatcher,
): Promise<Omit<Attempt, 'scope'>> {
  const response = await request(call.url, {
    method: call.method ?? (call.body === undefined ? 'GET' : 'POST'),
    headers: call.body === undefined ? call.headers : { 'content-type': 'application/json', ...call.headers },
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
    signal,
    dispatcher,
  });
  return { status: response.statusCode, headers: response.headers as HttpHeaders, body: response.body };
}

/**
 * One upstream attempt under its own abort scope: the caller's signal, the call's total deadline
 * (counted from `callStartedAt`, so it spans retries) and this attempt's first-token/idle limits.
 * One AbortController per attempt is the whole per-request cost of cancellation and timeouts.
 */
async function openAttempt(
  call: HttpCall,
  signal: AbortSignal | undefined,
  timeout: Timeouts,
  callStartedAt: number,
  defaults: TransportDefaults,
  mapError: ErrorMapper,
): Promise<Attempt> {
  const scope = createCallScope({ signal, timeout, provider: call.provider, callStartedAt });
  try {
    const response = await send(call, scope.signal, defaults.dispatcher ?? defaultDispatcher());
    if (response.status >= 200 && response.status < 300) return { ...response, scope };
    const text = await response.body.text().catch(() => '');
    scope.dispose();
    throw mapError(response.status, text, response.headers);
  } catch (error) {
    scope.dispose();
    throw toConduitError(scope.explain(error), call.provider);
  }
}

function layers(call: HttpCall, options: CallOptions, defaults: TransportDefaults, streaming: boolean) {
  let timeout: Timeouts = { ...DEFAULT_TIMEOUTS, ...defaults.timeout, ...options.timeout };
  if (!streaming) {
    // A JSON answer's headers arrive only once the whole answer is generated, so the configured
    // first-token and idle limits (meant for streams) would cut long answers: only the total limit
    // and limits set on this very call apply.
    timeout = {
      totalMs: timeout.totalMs,
      firstTokenMs: options.timeout?.firstTokenMs,
      idleMs: options.timeout?.idleMs,
    };
  }
  const resolved = resolveRetryPolicy(defaults.retry, options.retry);
  // No retry is started that would end past the call's total deadline.
  const policy =
    timeout.totalMs !== undefined && timeout.totalMs < resolved.maxElapsedMs
      ? { ...resolved, maxElapsedMs: timeout.totalMs }
      : resolved;
  if (options.headers) call = { ...call, headers: { ...call.headers, ...options.headers } };
  const onRetry =
    defaults.onRetry && options.onRetry
      ? (info: RetryContext) => {
          defaults.onRetry?.(info);
          options.onRetry?.(info);
        }
      : (options.onRetry ?? defaults.onRetry);
  return { call, timeout, policy, onRetry, startedAt: Date.now() };
}

/**
 * POSTs (or GETs) JSON and returns the parsed body, retrying retryable failures.
 *
 * @example
 * const json = await requestJson<ChatCompletion>({ provider: 'openai', url, headers, body }, mapError, options);
 */
export async function requestJson<T>(
  input: HttpCall,
  mapError: ErrorMapper,
  options: CallOptions = {},
  defaults: TransportDefaults = {},
): Promise<{ json: T; headers: HttpHeaders }> {
  const { call, timeout, policy, onRetry, startedAt } = layers(input, options, defaults, false);
  return withRetry(
    async () => {
      const attempt = await openAttempt(call, options.signal, timeout, startedAt, defaults, mapError);
      attempt.scope.touch();
      try {
        const text = await attempt.body.text();
        try {
          return { json: JSON.parse(text) as T, headers: attempt.headers };
        } catch (cause) {
          throw new ConduitError('invalid_response', `${call.provider} returned a body that is not JSON`, {
            provider: call.provider,
            cause,
            details: text.slice(0, 500),
          });
        }
      } catch (error) {
        throw toConduitError(attempt.scope.explain(error), call.provider);
      } finally {
        attempt.scope.dispose();
      }
    },
    { policy, signal: options.signal, provider: call.provider, onRetry },
  );
}

/** Turns SSE events into ChatEvents; stateful per stream. `end` runs when the body ends cleanly. */
export interface StreamTranslator {
  push(event: SseEvent, emit: (event: ChatEvent) => void): void;
  end(emit: (event: ChatEvent) => void): void;
}

/**
 * Opens an SSE stream and translates it into ChatEvents, with retries before the first event and
 * first-token/idle/total timeouts that close the socket when they fire.
 */
export function streamEvents(
  input: HttpCall,
  mapError: ErrorMapper,
  createTranslator: () => StreamTranslator,
  options: CallOptions = {},
  defaults: TransportDefaults = {},
): AsyncIterable<ChatEvent> {
  return {
    [Symbol.asyncIterator]: () => runStream(input, mapError, createTranslator, options, defaults),
  };
}

/**
 * The stream loop, with the retry loop inlined rather than a generator wrapping a generator: every
 * event crosses one async-generator boundary here, which is measurable at gateway rates. Same
 * contract as core's reliableStream: failures before the first event are retried or thrown, after it
 * they become one `error` event.
 */
async function* runStream(
  input: HttpCall,
  mapError: ErrorMapper,
  createTranslator: () => StreamTranslator,
  options: CallOptions,
  defaults: TransportDefaults,
): AsyncGenerator<ChatEvent> {
  const { call, timeout, policy, onRetry, startedAt } = layers(input, options, defaults, true);
  let yielded = false;
  for (let n = 1; ; n++) {
    let failure: ConduitError;
    let opened: Attempt | undefined;
    let completed = false;
    try {
      opened = await openAttempt(call, options.signal, timeout, startedAt, defaults, mapError);
      const { scope, body } = opened;
      const pending: ChatEvent[] = [];
      const emit = (event: ChatEvent) => pending.push(event);
      const translator = createTranslator();
      const parser = createSseParser((event) => translator.push(event, emit));
      try {
        for await (const chunk of body) {
          scope.touch();
          parser.feed(chunk);
          for (let i = 0; i < pending.length; i++) {
            yielded = true;
            yield pending[i]!;
          }
          pending.length = 0;
        }
        parser.end();
        translator.end(emit);
        for (const event of pending) yield event;
        completed = true;
        return;
      } catch (error) {
        // Events translated before the failure still belong to the caller.
        for (const event of pending) {
          yielded = true;
          yield event;
        }
        throw toConduitError(scope.explain(error), call.provider);
      }
    } catch (thrown) {
      failure = toConduitError(thrown, call.provider);
    } finally {
      // A consumer that stops early (client gone) must not leave the socket open.
      if (opened) {
        if (!completed) opened.body.destroy();
        opened.scope.dispose();
      }
    }
    if (yielded) {
      yield { type: 'error', error: failure };
      return;
    }
    const delayMs = retryDelay(failure, n, startedAt, { policy, signal: options.signal });
    if (delayMs === undefined) throw failure;
    onRetry?.({ attempt: n, error: failure, delayMs });
    await sleep(delayMs, options.signal);
  }
}
