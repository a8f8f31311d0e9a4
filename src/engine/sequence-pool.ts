/**
 * The slots of one loaded model — its context sequences — and the bounded queue in front of them.
 * A request leases a free sequence (preferring the one whose cached tokens share the longest prefix
 * with its prompt, so a multi-turn chat reuses its KV cache), waits in FIFO order when all are busy,
 * and is refused with `overloaded` when the queue is full too — the gateway turns that into HTTP 503
 * with Retry-After instead of letting latency grow without bound.
 *
 * @example
 * const pool = new SequencePool(sequences, { name: 'qwen', maxWaiting: 16 });
 * const lease = await pool.acquire({ signal, score: (s) => s.compareContextTokens(tokens).firstDifferentIndex });
 * try { ... lease.value ... } finally { lease.release(); }
 */
import { ConduitError } from '../core/errors.js';

export interface SequencePoolOptions {
  /** Shown in errors. */
  name: string;
  /** Requests allowed to wait for a sequence; one more is refused with `overloaded`. */
  maxWaiting: number;
  /** Called whenever running or waiting changes (metrics). */
  onChange?: (state: { running: number; waiting: number }) => void;
}

export interface Lease<T> {
  readonly value: T;
  /** Milliseconds spent in the queue. */
  readonly waitedMs: number;
  /** Returns the sequence; the next waiter gets it at once. Idempotent. */
  release(): void;
}

interface Waiter<T> {
  resolve: (lease: Lease<T>) => void;
  reject: (error: unknown) => void;
  enqueuedAt: number;
  detach: () => void;
}

export class SequencePool<T> {
  private readonly free: T[];
  private readonly waiters: Waiter<T>[] = [];
  private leased = 0;
  /** Moving average of how long a lease is held, for Retry-After. */
  private averageHoldMs = 1000;

  constructor(
    values: readonly T[],
    private readonly options: SequencePoolOptions,
  ) {
    this.free = [...values];
  }

  get size(): number {
    return this.free.length + this.leased;
  }

  get running(): number {
    return this.leased;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  get idle(): boolean {
    return this.leased === 0 && this.waiters.length === 0;
  }

  acquire(options: { signal?: AbortSignal; score?: (value: T) => number } = {}): Promise<Lease<T>> {
    const { signal, score } = options;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const enqueuedAt = Date.now();
    if (this.free.length > 0) {
      let best = 0;
      if (score && this.free.length > 1) {
        let bestScore = -1;
        for (const [i, value] of this.free.entries()) {
          const s = score(value);
          if (s > bestScore) [best, bestScore] = [i, s];
        }
      }
      const [value] = this.free.splice(best, 1);
      return Promise.resolve(this.lease(value as T, enqueuedAt));
    }
    if (this.waiters.length >= this.options.maxWaiting) {
      const retryAfterMs = Math.max(
        250,
        Math.round((this.averageHoldMs * (this.waiters.length + 1)) / Math.max(1, this.size)),
      );
      return Promise.reject(
        new ConduitError(
          'overloaded',
          `Local model "${this.options.name}" is at capacity: ${this.leased} requests running, ${this.waiters.length} waiting (raise sequences or maxWaiting, or retry later)`,
          { provider: 'local', retryAfterMs },
        ),
      );
    }
    return new Promise<Lease<T>>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        this.changed();
        reject(abortReason(signal!));
      };
      const waiter: Waiter<T> = {
        resolve,
        reject,
        enqueuedAt,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.changed();
    });
  }

  /** Rejects every waiter (the model is being unloaded). */
  rejectWaiting(error: unknown): void {
    for (const waiter of this.waiters.splice(0)) {
      waiter.detach();
      waiter.reject(error);
    }
    this.changed();
  }

  private lease(value: T, enqueuedAt: number): Lease<T> {
    this.leased++;
    const started = Date.now();
    this.changed();
    let released = false;
    return {
      value,
      waitedMs: started - enqueuedAt,
      release: () => {
        if (released) return;
        released = true;
        this.averageHoldMs = this.averageHoldMs * 0.8 + (Date.now() - started) * 0.2;
        this.leased--;
        const next = this.waiters.shift();
        if (next) {
          next.detach();
          next.resolve(this.lease(value, next.enqueuedAt));
        } else {
          this.free.push(value);
          this.changed();
        }
      },
    };
  }

  private changed(): void {
    this.options.onChange?.({ running: this.leased, waiting: this.waiters.length });
  }
}

function abortReason(signal: AbortSignal): unknown {
  const reason = signal.reason as unknown;
  return ConduitError.isInstance(reason)
    ? reason
    : new ConduitError('cancelled', 'The request was cancelled while waiting for a free sequence', {
        provider: 'local',
        cause: reason,
      });
}
