/**
 * The one place that turns an error into an HTTP response. OpenAI's shape everywhere
 * (`{ error: { message, type, param, code } }`, plus `provider` when an upstream failed), Anthropic's
 * on the Anthropic-compatible route, whose clients parse that. Retry-After is set from the error.
 */
import type { ServerResponse } from 'node:http';
import { ConduitError, toConduitError } from '../core/errors.js';
import { redactSecrets } from '../core/redact-secrets.js';

export type ErrorDialect = 'openai' | 'anthropic';

const ANTHROPIC_TYPES: Partial<Record<ConduitError['code'], string>> = {
  bad_request: 'invalid_request_error',
  context_length_exceeded: 'invalid_request_error',
  content_filter: 'invalid_request_error',
  unsupported: 'invalid_request_error',
  payload_too_large: 'request_too_large',
  unsupported_media_type: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  rate_limited: 'rate_limit_error',
  budget_exceeded: 'rate_limit_error',
  overloaded: 'overloaded_error',
  timeout: 'timeout_error',
};

/** The wire body of an error, in a dialect; the message never carries a secret (see redactSecrets). */
export function errorBody(error: ConduitError, dialect: ErrorDialect): Record<string, unknown> {
  const message = redactSecrets(error.message);
  if (dialect === 'anthropic') {
    return {
      type: 'error',
      error: { type: ANTHROPIC_TYPES[error.code] ?? 'api_error', message },
    };
  }
  return {
    error: {
      message,
      type: error.type,
      param: error.param ?? null,
      code: error.code,
      ...(error.provider ? { provider: error.provider } : {}),
    },
  };
}

/** Writes an error response; if headers already went out, just ends the response. */
export function writeError(
  res: ServerResponse,
  thrown: unknown,
  dialect: ErrorDialect = 'openai',
): ConduitError {
  const error = toConduitError(thrown);
  if (res.headersSent) {
    res.end();
    return error;
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (error.retryAfterMs !== undefined)
    headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
  // 499 is nginx's convention and no client reads it; the socket is usually gone anyway.
  res.writeHead(error.status, headers);
  res.end(JSON.stringify(errorBody(error, dialect)));
  return error;
}

export function badRequest(message: string, param?: string): ConduitError {
  return new ConduitError('bad_request', message, { param });
}
