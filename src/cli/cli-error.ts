/**
 * How the CLI reports failure: one line on stderr that says what to do, and an exit code scripts can
 * trust — 0 success, 1 the work failed (a model or upstream error), 2 bad usage or bad configuration.
 */
import { ConduitError, type ErrorCode } from '../core/errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A usage error raised by a command (bad flag value, missing argument). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Codes that describe a request that cannot work as given, rather than a failure while doing it. */
const REQUEST_CODES: ReadonlySet<ErrorCode> = new Set([
  'bad_request',
  'not_found',
  'unsupported',
  'unprocessable',
]);
/** What the person typed or configured: an error about one of these is theirs to fix. */
const INVOCATION_PARAMS: ReadonlySet<string> = new Set(['config', 'model', 'provider', 'base_url']);

/**
 * The exit code, from the error's code (never its message): a request-shaped code about the
 * invocation (unknown model, invalid conduit.yaml, missing base URL) is bad usage; anything else,
 * such as a rate limit or an upstream failure on that same model, is work that failed.
 */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT_USAGE;
  if (ConduitError.isInstance(error))
    return REQUEST_CODES.has(error.code) && INVOCATION_PARAMS.has(error.param ?? '')
      ? EXIT_USAGE
      : EXIT_FAILURE;
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
