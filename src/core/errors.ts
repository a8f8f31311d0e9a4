/**
 * The one error model of Conduit. Every failure that crosses a module boundary is a `ConduitError`
 * with a string code; the HTTP status, OpenAI error `type` and retryability derive from one table.
 *
 * @example
 * throw new ConduitError('rate_limited', 'Too many requests', { retryAfterMs: 2000, provider: 'openai' });
 */

export const ERROR_CODES = {
  bad_request: { status: 400, type: 'invalid_request_error', retryable: false },
  authentication: { status: 401, type: 'authentication_error', retryable: false },
  permission: { status: 403, type: 'permission_error', retryable: false },
  not_found: { status: 404, type: 'not_found_error', retryable: false },
  conflict: { status: 409, type: 'invalid_request_error', retryable: false },
  payload_too_large: { status: 413, type: 'invalid_request_error', retryable: false },
  unsupported_media_type: { status: 415, type: 'invalid_request_error', retryable: false },
  unprocessable: { status: 422, type: 'invalid_request_error', retryable: false },
  context_length_exceeded: { status: 400, type: 'invalid_request_error', retryable: false },
  content_filter: { status: 400, type: 'invalid_request_error', retryable: false },
  rate_limited: { status: 429, type: 'rate_limit_error', retryable: true },
  budget_exceeded: { status: 429, type: 'insufficient_quota', retryable: false },
  cancelled: { status: 499, type: 'cancelled', retryable: false },
  internal: { status: 500, type: 'server_error', retryable: false },
  upstream_error: { status: 502, type: 'upstream_error', retryable: true },
  overloaded: { status: 503, type: 'overloaded_error', retryable: true },
  timeout: { status: 504, type: 'timeout_error', retryable: true },
  unsupported: { status: 400, type: 'invalid_request_error', retryable: false },
  invalid_response: { status: 502, type: 'upstream_error', retryable: false },
} as const satisfies Record<string, { status: number; type: string; retryable: boolean }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ConduitErrorOptions {
  /** Provider that produced the error ("openai", "anthropic", ...). */
  provider?: string;
  /** Status the upstream answered with, when there was one. */
  upstreamStatus?: number;
  /** Milliseconds the upstream asked us to wait (Retry-After, retry-after-ms). */
  retryAfterMs?: number;
  /** Overrides the table's retryability (e.g. a 409 that the provider documents as retryable). */
  retryable?: boolean;
  /** Request field the error is about, e.g. "messages[2].content". */
  param?: string;
  /** Provider's own error code/type, kept for diagnostics. */
  upstreamCode?: string;
  /** Structured detail, such as validation issues. */
  details?: unknown;
  cause?: unknown;
}

const MARKER = Symbol.for('conduit.error');

export class ConduitError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly provider?: string;
  readonly upstreamStatus?: number;
  readonly retryAfterMs?: number;
  readonly param?: string;
  readonly upstreamCode?: string;
  readonly details?: unknown;
  readonly [MARKER] = true;

  constructor(code: ErrorCode, message: string, options: ConduitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConduitError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.retryable = options.retryable ?? ERROR_CODES[code].retryable;
    this.provider = options.provider;
    this.upstreamStatus = options.upstreamStatus;
    this.retryAfterMs = options.retryAfterMs;
    this.param = options.param;
    this.upstreamCode = options.upstreamCode;
    this.details = options.details;
  }

  /** True for any ConduitError, even one made by another copy of this package. */
  static isInstance(value: unknown): value is ConduitError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }

  /** The OpenAI error `type` for this code. */
  get type(): string {
    return ERROR_CODES[this.code].type;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      status: this.status,
      retryable: this.retryable,
      ...(this.provider ? { provider: this.provider } : {}),
      ...(this.param ? { param: this.param } : {}),
      ...(this.upstreamStatus ? { upstream_status: this.upstreamStatus } : {}),
    };
  }
}

/** Maps an upstream HTTP status to our code (used when a provider body says nothing more specific). */
export function codeFromStatus(status: number): ErrorCode {
  if (status === 400) return 'bad_request';
  if (status === 401) return 'authentication';
  if (status === 402) return 'budget_exceeded';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 409) return 'conflict';
  if (status === 413) return 'payload_too_large';
  if (status === 422) return 'unprocessable';
  if (status === 429) return 'rate_limited';
  if (status === 503 || status === 529) return 'overloaded';
  if (status === 504) return 'timeout';
  if (status >= 500) return 'upstream_error';
  return 'bad_request';
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/**
 * Normalises anything thrown into a ConduitError: passes ConduitErrors through, turns aborts into
 * `cancelled`, socket failures into retryable `upstream_error`, and everything else into `internal`.
 */
export function toConduitError(error: unknown, provider?: string): ConduitError {
  if (ConduitError.isInstance(error)) return error;
  const err = error as { name?: string; code?: string; message?: string; cause?: unknown } | undefined;
  if (err?.name === 'AbortError' || err?.code === 'ABORT_ERR' || err?.code === 'UND_ERR_ABORTED') {
    return new ConduitError('cancelled', 'The request was cancelled', { provider, cause: error });
  }
  const netCode = err?.code ?? (err?.cause as { code?: string } | undefined)?.code;
  if (netCode && NETWORK_CODES.has(netCode)) {
    const message = netCode === 'ECONNREFUSED' ? 'Connection refused' : `Connection failed (${netCode})`;
    return new ConduitError('upstream_error', `${message}${provider ? ` talking to ${provider}` : ''}`, {
      provider,
      upstreamCode: netCode,
      retryable: true,
      cause: error,
    });
  }
  return new ConduitError('internal', err?.message ?? String(error), { provider, cause: error });
}
