/**
 * Gemini error bodies → ConduitError. Google APIs answer `{ error: { code, message, status, details } }`
 * where `status` is the google.rpc code name; it is more precise than the HTTP status (an invalid API
 * key arrives as 400 INVALID_ARGUMENT), and a 429 may carry its own wait in a `RetryInfo` detail.
 */
import { ConduitError, codeFromStatus, type ErrorCode } from '../../core/errors.js';
import { parseRetryAfter } from '../../core/retry.js';
import type { HttpHeaders } from '../shared/http-transport.js';
import type { GeminiErrorPayload } from './gemini-api.js';

const BY_STATUS: Record<string, ErrorCode> = {
  INVALID_ARGUMENT: 'bad_request',
  FAILED_PRECONDITION: 'bad_request',
  OUT_OF_RANGE: 'bad_request',
  UNAUTHENTICATED: 'authentication',
  PERMISSION_DENIED: 'permission',
  NOT_FOUND: 'not_found',
  RESOURCE_EXHAUSTED: 'rate_limited',
  UNAVAILABLE: 'overloaded',
  DEADLINE_EXCEEDED: 'timeout',
  INTERNAL: 'upstream_error',
  UNKNOWN: 'upstream_error',
};

const TOKEN_LIMIT =
  /input token count|maximum number of tokens|exceeds the (?:context|token) limit|too many tokens/i;
const BAD_KEY = /API key not valid|API key expired|API_KEY_INVALID/i;

/**
 * The transport's ErrorMapper for Gemini.
 *
 * @example
 * await requestJson(call, mapGeminiError, options);
 */
export function mapGeminiError(status: number, body: string, headers: HttpHeaders): ConduitError {
  let payload: GeminiErrorPayload | undefined;
  try {
    const parsed = JSON.parse(body) as unknown;
    // Without `alt=sse`, streaming endpoints wrap the error in an array.
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    payload = (first as { error?: GeminiErrorPayload } | undefined)?.error;
  } catch {
    payload = undefined;
  }
  if (!payload) {
    const text = body.trim().slice(0, 300) || `HTTP ${status}`;
    return new ConduitError(codeFromStatus(status), `google: ${text}`, {
      provider: 'google',
      upstreamStatus: status,
      retryAfterMs: parseRetryAfter(headers),
    });
  }
  return geminiError(payload, status, headers);
}

/** A Gemini error payload → ConduitError; also used for an `error` object inside a stream chunk. */
export function geminiError(
  payload: GeminiErrorPayload,
  status?: number,
  headers?: HttpHeaders,
): ConduitError {
  const httpStatus = status ?? payload.code ?? 500;
  const message = payload.message || `HTTP ${httpStatus}`;
  const reason = payload.details?.find((d) => typeof d.reason === 'string')?.reason;
  const code = classify(payload.status, httpStatus, message, reason);
  const retryAfterMs = (headers ? parseRetryAfter(headers) : undefined) ?? retryInfoDelay(payload);
  return new ConduitError(code, `google: ${message}`, {
    provider: 'google',
    upstreamStatus: httpStatus,
    upstreamCode: payload.status ?? reason,
    retryAfterMs,
    details: payload.details,
  });
}

function classify(
  rpcStatus: string | undefined,
  httpStatus: number,
  message: string,
  reason?: string,
): ErrorCode {
  if (BAD_KEY.test(message) || reason === 'API_KEY_INVALID') return 'authentication';
  const code = (rpcStatus && BY_STATUS[rpcStatus]) || codeFromStatus(httpStatus);
  if (code === 'bad_request' && TOKEN_LIMIT.test(message)) return 'context_length_exceeded';
  return code;
}

/** `google.rpc.RetryInfo.retryDelay` is a protobuf Duration in JSON form: "12s", "38.804097346s". */
export function retryInfoDelay(payload: GeminiErrorPayload): number | undefined {
  for (const detail of payload.details ?? []) {
    if (!detail['@type']?.endsWith('google.rpc.RetryInfo') || typeof detail.retryDelay !== 'string') continue;
    const match = /^(\d+(?:\.\d+)?)s$/.exec(detail.retryDelay.trim());
    if (match) return Math.ceil(Number(match[1]) * 1000);
  }
  return undefined;
}
