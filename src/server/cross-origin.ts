/**
 * What a browser on another site may do. Nothing, unless conduit.yaml lists its origin under
 * `cors.origins`: no CORS headers are sent, preflights are refused, and a browser request whose
 * `Origin` is neither the gateway's own nor listed is refused on /admin and on every state-changing
 * method — so a web page cannot drive a loopback gateway in development mode (where no key is
 * needed) to create keys or spend tokens. Clients that are not browsers send no `Origin` and are
 * not affected.
 */
import type { IncomingMessage } from 'node:http';
import { ConduitError } from '../core/errors.js';

export interface OriginDecision {
  /** The `access-control-allow-origin` value to send, when the origin is listed. */
  allowOrigin?: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** Whether `origin` names this server (the Host the browser addressed). */
function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/** Decides about a request's `Origin`; throws `permission` (403, param `origin`) when it is refused. */
export function checkOrigin(req: IncomingMessage, path: string, origins: readonly string[]): OriginDecision {
  const origin = req.headers.origin;
  if (typeof origin !== 'string' || origin === '') return {};
  if (origins.includes('*')) return { allowOrigin: '*' };
  if (origins.includes(origin)) return { allowOrigin: origin };
  if (isSameOrigin(origin, req.headers.host)) return {};
  const method = req.method ?? 'GET';
  if (method === 'OPTIONS' || path.startsWith('/admin') || !SAFE_METHODS.has(method)) {
    throw new ConduitError(
      'permission',
      `Browser requests from origin ${origin.slice(0, 200)} are not allowed: add it to cors.origins in conduit.yaml`,
      { param: 'origin' },
    );
  }
  // A cross-site GET may be sent, but without CORS headers the page cannot read the answer.
  return {};
}

/** Headers of an allowed request's response (and of its preflight). */
export function corsHeaders(decision: OriginDecision, preflight: boolean): Record<string, string> {
  if (!decision.allowOrigin) return {};
  const headers: Record<string, string> = {
    'access-control-allow-origin': decision.allowOrigin,
    'access-control-expose-headers': 'x-request-id, x-conduit-trace-id, x-conduit-cache, retry-after',
  };
  if (decision.allowOrigin !== '*') headers.vary = 'Origin';
  if (preflight) {
    headers['access-control-allow-methods'] = 'GET, POST, PATCH, DELETE, OPTIONS';
    headers['access-control-allow-headers'] =
      'authorization, content-type, x-api-key, anthropic-version, x-conduit-cache, x-request-id, traceparent';
    headers['access-control-max-age'] = '600';
  }
  return headers;
}
