/**
 * Layered timeouts for one call: total, time to first token, and the idle gap between stream chunks.
 * One timer per call (re-armed, never re-created per chunk) keeps the hot path allocation-free.
 */
import { ConduitError } from './errors.js';

export interface Timeouts {
  /** Whole call, including retries of a stream's start. */
  totalMs?: number;
  /** From the request to the first token (for `generate`, to the response headers). */
  firstTokenMs?: number;
  /** Longest silence between two stream chunks once data flows. */
  idleMs?: number;
}

export interface CallScope {
  /** Aborts the upstream request: linked to the caller's signal and to every timer. */
  readonly signal: AbortSignal;
  /** Call on every chunk received; the first call ends the first-token phase. */
  touch(): void;
  /** The ConduitError that describes why the scope was aborted, if it was. */
  abortError(): ConduitError | undefined;
  /** Maps an error thrown by the transport to the right ConduitError (timeouts and cancels first). */
  explain(error: unknown): unknown;
  dispose(): void;
}

/**
 * Creates the abort scope of one upstream attempt.
 *
 * @example
 * const scope = createCallScope({ signal, timeout: { totalMs: 60_000, idleMs: 10_000 } });
 * try { for await (const chunk of body) { scope.touch(); ... } } catch (e) { throw scope.explain(e); }
 * finally { scope.dispose(); }
 */
export function createCallScope(options: {
  signal?: AbortSignal;
  timeout?: Timeouts;
  provider?: string;
  /** When the whole call began (ms epoch), so `totalMs` spans retries; default now. */
  callStartedAt?: number;
}): CallScope {
  const { timeout = {}, provider } = options;
  const controller = new AbortController();
  const started = Date.now();
  const callStarted = options.callStartedAt ?? started;
  let firstAt: number | undefined;
  let lastAt = started;
  let timer: NodeJS.Timeout | undefined;
  let reason: ConduitError | undefined;

  const abort = (error: ConduitError) => {
    if (controller.signal.aborted) return;
    reason = error;
    controller.abort(error);
    if (timer) clearTimeout(timer);
  };

  const onCallerAbort = () => {
    const cause = options.signal?.reason as unknown;
    abort(
      ConduitError.isInstance(cause)
        ? cause
        : new ConduitError('cancelled', 'The request was cancelled', { provider, cause }),
    );
  };
  if (options.signal?.aborted) onCallerAbort();
  else options.signal?.addEventListener('abort', onCallerAbort, { once: true });

  // The earliest moment any limit expires, given what has happened so far.
  const deadline = (): { at: number; error: () => ConduitError } | undefined => {
    const candidates: { at: number; error: () => ConduitError }[] = [];
    if (timeout.totalMs !== undefined) {
      candidates.push({
        at: callStarted + timeout.totalMs,
        error: () =>
          timeoutError(`the request exceeded its total timeout of ${timeout.totalMs} ms`, provider),
      });
    }
    if (firstAt === undefined && timeout.firstTokenMs !== undefined) {
      candidates.push({
        at: started + timeout.firstTokenMs,
        error: () => timeoutError(`no first token within ${timeout.firstTokenMs} ms`, provider),
      });
    }
    if (firstAt !== undefined && timeout.idleMs !== undefined) {
      candidates.push({
        at: lastAt + timeout.idleMs,
        error: () => timeoutError(`the stream was idle for more than ${timeout.idleMs} ms`, provider),
      });
    }
    let best: (typeof candidates)[number] | undefined;
    for (const c of candidates) if (!best || c.at < best.at) best = c;
    return best;
  };

  const arm = () => {
    const next = deadline();
    if (!next || controller.signal.aborted) return;
    const wait = Math.max(0, next.at - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      const due = deadline();
      if (due && due.at <= Date.now()) abort(due.error());
      else arm();
    }, wait);
    timer.unref?.();
  };
  arm();

  return {
    signal: controller.signal,
    touch() {
      lastAt = Date.now();
      if (firstAt === undefined) {
        firstAt = lastAt;
        // The first-token limit no longer applies; the idle limit now does.
        if (timer) clearTimeout(timer);
        arm();
      }
      // Otherwise the armed timer re-checks lastAt when it fires, so no per-chunk timer work.
    },
    abortError: () => reason,
    explain: (error) => reason ?? error,
    dispose() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      options.signal?.removeEventListener('abort', onCallerAbort);
    },
  };
}

function timeoutError(message: string, provider?: string): ConduitError {
  return new ConduitError('timeout', `Timed out: ${message}${provider ? ` (${provider})` : ''}`, {
    provider,
  });
}
