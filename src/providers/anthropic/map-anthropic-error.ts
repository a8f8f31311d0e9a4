/**
 * Anthropic error bodies (`{ type: 'error', error: { type, message }, request_id }`) → ConduitError,
 * for HTTP error responses and for `event: error` inside a stream that had already answered 200.
 * Anthropic's error type is more precise than the status (a 400 can mean "context too long" or
 * "no credit"), so it is read first and the status is the fallback.
 */
import { ConduitError, codeFromStatus, type ErrorCode } from '../../core/errors.js';
import { parseRetryAfter } from '../../core/retry.js';
import type { HttpHeaders } from '../shared/http-transport.js';
import type { AnthropicErrorBody } from './anthropic-api.js';

const PROVIDER = 'anthropic';

// "prompt is too long: 208310 tokens > 200000 maximum", "input length and max_tokens exceed context limit".
const CONTEXT_PATTERN = /prompt is too long|context (window|limit|length)|too many (input )?tokens/i;
// Billing problems arrive as 400 invalid_request_error; retrying or failing over to the same account won't help.
const BILLING_PATTERN = /credit balance|usage limits|spend limit|billing/i;

const BY_TYPE: Record<string, ErrorCode> = {
  authentication_error: 'authentication',
  permission_error: 'permission',
  not_found_error: 'not_found',
  rate_limit_error: 'rate_limited',
  overloaded_error: 'overloaded',
  api_error: 'upstream_error',
  request_too_large: 'payload_too_large',
  billing_error: 'budget_exceeded',
  timeout_error: 'timeout',
};

/** Our code for an Anthropic error type; `status` is the HTTP status when there was one. */
export function anthropicErrorCode(
  type: string | undefined,
  message: string,
  status?: number,
  detailCode?: string,
): ErrorCode {
  if (type === 'invalid_request_error') {
    if (CONTEXT_PATTERN.test(message)) return 'context_length_exceeded';
    if (BILLING_PATTERN.test(message)) return 'budget_exceeded';
    // Anthropic also uses this type for 4xx statuses without a type of their own (409, 422, ...).
    return status === undefined || status === 400 ? 'bad_request' : codeFromStatus(status);
  }
  // A spend-limit 429 shares rate_limit_error with real rate limits, but waiting won't lift it.
  if (type === 'rate_limit_error' && detailCode === 'enforced_spend_limit_reached') return 'budget_exceeded';
  const byType = type === undefined ? undefined : BY_TYPE[type];
  if (byType) return byType;
  return status === undefined ? 'upstream_error' : codeFromStatus(status);
}

/**
 * ErrorMapper for the shared transport.
 *
 * @example
 * await requestJson(call, mapAnthropicError, options);
 */
export function mapAnthropicError(status: number, body: string, headers: HttpHeaders): ConduitError {
  let parsed: AnthropicErrorBody | undefined;
  try {
    parsed = JSON.parse(body) as AnthropicErrorBody;
  } catch {
    // A 413 comes from Cloudflare as HTML, before the request reaches Anthropic's servers.
    parsed = undefined;
  }
  const type = parsed?.error?.type;
  const message = parsed?.error?.message ?? (body.trim().slice(0, 300) || `HTTP ${status}`);
  const code = anthropicErrorCode(type, message, status, parsed?.error?.details?.error_code);
  return new ConduitError(code, `${PROVIDER}: ${message}`, {
    provider: PROVIDER,
    upstreamStatus: status,
    upstreamCode: type,
    retryAfterMs: parseRetryAfter(headers),
    retryable: shouldRetryHeader(headers, code),
    ...(parsed?.request_id ? { details: { requestId: parsed.request_id } } : {}),
  });
}

/** The ConduitError for an `event: error` received mid-stream (no HTTP status of its own). */
export function anthropicStreamError(error: AnthropicErrorBody['error'] | undefined): ConduitError {
  const type = error?.type;
  const message = error?.message ?? 'stream error';
  return new ConduitError(anthropicErrorCode(type, message), `${PROVIDER}: ${message}`, {
    provider: PROVIDER,
    upstreamCode: type,
  });
}

// Anthropic's API tells its own SDKs whether a retry can help (x-should-retry); it knows better
// than a status table. Budget errors stay final whatever the header says.
function shouldRetryHeader(headers: HttpHeaders, code: ErrorCode): boolean | undefined {
  const raw = headers['x-should-retry'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (code === 'budget_exceeded') return false;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}
