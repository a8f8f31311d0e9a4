/**
 * How the CLI reports failure: one line on stderr that says what to do, and an exit code scripts can
 * trust — 0 success, 1 the work failed (a model or upstream error), 2 bad usage or bad configuration.
 */
import { ConduitError } from '../core/errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A usage error raised by a command (bad flag value, missing argument). */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT_USAGE;
  if (ConduitError.isInstance(error)) {
    if (
      error.param === 'config' ||
      error.param === 'model' ||
      error.param === 'provider' ||
      error.param === 'base_url'
    ) {
      return EXIT_USAGE;
    }
    return EXIT_FAILURE;
  }
  return EXIT_FAILURE;
}

export function describeError(error: unknown): string {
  if (ConduitError.isInstance(error)) {
    const hint =
      error.code === 'authentication'
        ? ''
        : error.code === 'rate_limited'
          ? ' (rate limited: try again later or lower concurrency)'
          : error.code === 'timeout'
            ? ' (raise the timeout in conduit.yaml under defaults.timeout)'
            : error.code === 'upstream_error' && error.upstreamCode === 'ECONNREFUSED'
              ? ' (is the server running and the base URL right?)'
              : '';
    return `${error.message}${hint}`;
  }
  return (error as Error)?.message ?? String(error);
}
