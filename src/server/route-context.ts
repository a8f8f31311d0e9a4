import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConduitConfig } from '../config/config-schema.js';
import type { Gateway, RequestContext } from '../gateway/gateway.js';
import type { Principal } from '../gateway/key-auth.js';

/** What every route handler receives. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  gateway: Gateway;
  config: ConduitConfig;
  requestId: string;
  /** performance.now() at arrival. */
  startedAt: number;
  /** Aborted when the client goes away before the response is complete. */
  signal: AbortSignal;
  /** Resolved lazily: routes that need a caller call it (health and metrics don't). */
  principal(): Promise<Principal>;
  body(): Promise<unknown>;
  /** Path parameters, e.g. the model id of /v1/models/:id. */
  params: Record<string, string>;
  /** Set once the request is handed to the gateway, which then writes its usage row. */
  tracked: boolean;
}

export type RouteHandler = (ctx: RouteContext) => Promise<void>;

/** The gateway request context for a route. */
export async function gatewayContext(
  ctx: RouteContext,
  route: RequestContext['route'],
): Promise<RequestContext> {
  const principal = await ctx.principal();
  ctx.tracked = true;
  const header = ctx.req.headers['x-conduit-cache'] ?? ctx.req.headers['cache-control'];
  const bypass = typeof header === 'string' && /\b(bypass|no-cache|no-store)\b/i.test(header);
  return {
    principal,
    requestId: ctx.requestId,
    route,
    signal: ctx.signal,
    cache: bypass ? 'bypass' : 'default',
    startedAt: ctx.startedAt,
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}
