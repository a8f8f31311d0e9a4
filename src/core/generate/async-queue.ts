/**
 * A single-consumer async iterable fed by pushes. streamText and streamObject run their model calls
 * eagerly and push into one of these, so their result promises settle even when nobody iterates the
 * stream; values wait in memory until the consumer pulls them.
 */

export interface AsyncQueue<T> extends AsyncIterable<T> {
  push(value: T): void;
  /** Ends the iteration after the buffered values. */
  close(): void;
  /** Ends the iteration with an error, thrown after the buffered values. */
  fail(error: unknown): void;
}

export function createAsyncQueue<T>(): AsyncQueue<T> {
  const buffer: T[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  let iterated = false;

  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  return {
    push(value) {
      if (ended) return;
      buffer.push(value);
      notify();
    },
    close() {
      ended = true;
      notify();
    },
    fail(error) {
      if (ended) return;
      failure = { error };
      ended = true;
      notify();
    },
    async *[Symbol.asyncIterator]() {
      // A second reader would silently steal values from the first; fail loudly instead.
      if (iterated) throw new Error('This stream can only be iterated once');
      iterated = true;
      while (true) {
        if (buffer.length > 0) {
          yield buffer.shift() as T;
        } else if (ended) {
          if (failure) throw failure.error;
          return;
        } else {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
      }
    },
  };
}
