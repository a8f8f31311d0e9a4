/**
 * OpenAI error bodies (`{ error: { message, type, param, code } }`) → ConduitError. Compatible servers
 * answer with variants (a bare string, `{ message }`, `{ detail }`), so the message is read defensively.
 */
import { ConduitError, codeFromStatus, type ErrorCode } from '../../core/errors.js';
import { parseRetryAfter } from '../../core/retry.js';
import type { HttpHeaders } from '../shared/http-transport.js';
import type { OpenAIErrorBody } from './openai-api.js';

const CONTEXT_PATTERN =
  /context[ _]length|maximum context|context window|too many tokens|prompt is too long/i;

export function mapOpenAIError(provider: string) {
  return (status: number, body: string, headers: HttpHeaders): ConduitError => {
    let parsed: OpenAIErrorBody | { detail?: unknown } | undefined;
    try {
      parsed = JSON.parse(body) as OpenAIErrorBody;
    } catch {
      parsed = undefined;
    }
    const inner = (parsed as OpenAIErrorBody | undefined)?.error;
    const detail = (parsed as { detail?: unknown } | undefined)?.detail;
    const message =
      (typeof inner === 'string' ? inner : inner?.message) ??
      (parsed as OpenAIErrorBody | undefined)?.message ??
      (typeof detail === 'string' ? detail : undefined) ??
      (body.trim().slice(0, 300) || `HTTP ${status}`);
    const upstreamCode = typeof inner === 'object' && inner?.code != null ? String(inner.code) : undefined;
    const upstreamType = typeof inner === 'object' ? (inner?.type ?? undefined) : undefined;
    const param = typeof inner === 'object' ? (inner?.param ?? undefined) : undefined;
    return new ConduitError(
      classify(status, upstreamCode, upstreamType, message),
      `${provider}: ${message}`,
      {
        provider,
        upstreamStatus: status,
        upstreamCode: upstreamCode ?? upstreamType,
        param,
        retryAfterMs: parseRetryAfter(headers),
      },
    );
  };
}

function classify(
  status: number,
  code: string | undefined,
  type: string | undefined,
  message: string,
): ErrorCode {
  if (code === 'context_length_exceeded' || code === 'string_above_max_length')
    return 'context_length_exceeded';
  if (code === 'content_filter' || code === 'content_policy_violation') return 'content_filter';
  if (code === 'insufficient_quota' || type === 'insufficient_quota') return 'budget_exceeded';
  if (code === 'invalid_api_key') return 'authentication';
  if (code === 'model_not_found') return 'not_found';
  if (status === 400 && CONTEXT_PATTERN.test(message)) return 'context_length_exceeded';
  if (status === 429 && /quota|billing/i.test(message) && !/rate/i.test(message)) return 'budget_exceeded';
  return codeFromStatus(status);
}
