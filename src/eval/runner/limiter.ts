/**
 * A small async limiter for one target: at most `concurrency` calls in flight, and with `rpm` set,
 * call starts spaced at least 60 000 / rpm ms apart — the steady rate a provider's requests-per-
 * minute limit allows, without a burst that earns a 429 first. 429s that still happen are retried
 * by the provider transport, which honours Retry-After.
 *
 * @example
 * const limit = createLimiter({ concurrency: 8, rpm: 500 });
 * const results = await Promise.all(cases.map((c) => limit(() => model.generate(c.request))));
 */

export interface LimiterOptions {
  concurrency: number;
  rpm?: number;
  /** For tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function createLimiter(options: LimiterOptions): Limiter {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
    throw new RangeError(`concurrency must be a positive integer, got ${options.concurrency}`);
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const interval = options.rpm ? 60_000 / options.rpm : 0;
  let active = 0;
  let nextStart = Number.NEGATIVE_INFINITY;
  const waiting: (() => void)[] = [];

  const acquire = async (): Promise<void> => {
    if (active >= options.concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    if (interval > 0) {
      // Reserve a start slot before sleeping, so concurrent waiters line up one interval apart.
      const at = Math.max(now(), nextStart);
      nextStart = at + interval;
      const delay = at - now();
      if (delay > 0) await sleep(delay);
    }
  };
  const release = () => {
    const next = waiting.shift();
    // The slot passes straight to the next waiter: `active` stays the same.
    if (next) next();
    else active--;
  };

  return async (task) => {
    await acquire();
    try {
      return await task();
    } finally {
      release();
    }
  };
}
