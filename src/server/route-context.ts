import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConduitConfig } from '../config/config-schema.js';
import type { ChatEvent, ChatResult } from '../core/chat-event.js';
import type { ChatRequest } from '../core/chat-request.js';
import type { CallOptions, CallReport } from '../core/language-model.js';
import type { TraceContext } from '../core/trace-context.js';
import type { Principal } from '../gateway/key-auth.js';
import { checkModelAccess } from '../gateway/policies/key-limits.js';
import type { Conduit } from '../runtime/open-conduit.js';

/** What every route handler receives. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** The runtime this request started with (a config reload does not change it mid-request). */
  conduit: Conduit;
  config: ConduitConfig;
  /** Our id of the request: fresh and unique for every request, whatever the client sent. */
  requestId: string;
  /** The client's `x-request-id` (printable ASCII, bounded), kept beside ours; not unique. */
  clientRequestId?: string;
  /** performance.now() at arrival. */
  startedAt: number;
  /** Aborted when the client goes away before the response is complete. */
  signal: AbortSignal;
  /** The client's `traceparent`, when it sent a valid one. */
  traceParent?: TraceContext;
  /** Filled in by the model call; its trace id goes out as `x-conduit-trace-id`. */
  report: CallReport;
  /** Resolved lazily: routes that need a caller call it (health and metrics don't). */
  principal(): Promise<Principal>;
  body(): Promise<unknown>;
  /** Path parameters, e.g. the model id of /v1/models/:id. */
  params: Record<string, string>;
  /** Set once the request is handed to a model, whose usage-log policy then writes its row. */
  tracked: boolean;
}

export type RouteHandler = (ctx: RouteContext) => Promise<void>;

/**
 * Refuses, before the registry is asked, a model the caller's key may not use: a key limited to some
 * models learns nothing about the others (not even whether they exist, which the registry's 404 says).
 */
export async function checkModelName(ctx: RouteContext, name: string): Promise<void> {
  const principal = await ctx.principal();
  if (principal.kind === 'virtual') checkModelAccess(principal.key, name);
}

/** The call options of a model call made for this request: its caller, ids, trace and cache header. */
export async function callOptions(ctx: RouteContext, route: string): Promise<CallOptions> {
  const principal = await ctx.principal();
  ctx.tracked = true;
  const header = ctx.req.headers['x-conduit-cache'] ?? ctx.req.headers['cache-control'];
  const bypass = typeof header === 'string' && /\b(bypass|no-cache|no-store)\b/i.test(header);
  return {
    principal,
    requestId: ctx.requestId,
    ...(ctx.clientRequestId ? { clientRequestId: ctx.clientRequestId } : {}),
    signal: ctx.signal,
    cache: bypass ? 'bypass' : 'default',
    trace: ctx.traceParent,
    report: ctx.report,
    metadata: { route },
  };
}

/** The `x-request-id` a response carries: the client's own id when it sent one (as OpenAI does), else ours. */
export function responseRequestId(ctx: Pick<RouteContext, 'requestId' | 'clientRequestId'>): string {
  return ctx.clientRequestId ?? ctx.requestId;
}

/** The client's `x-request-id` if it is usable: printable ASCII, at most 128 characters. */
export function clientRequestIdFrom(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed.length > 0 && trimmed.length <= 128 && /^[\x21-\x7e]+$/.test(trimmed) ? trimmed : undefined;
}

/** Response headers every model route sends: request id, trace id, cache outcome. */
export function modelHeaders(ctx: RouteContext, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { 'x-request-id': responseRequestId(ctx), ...extra };
  const traceId = ctx.report.traceId ?? ctx.traceParent?.traceId;
  if (traceId) headers['x-conduit-trace-id'] = traceId;
  if (ctx.report.cacheHit !== undefined) headers['x-conduit-cache'] = ctx.report.cacheHit ? 'hit' : 'miss';
  return headers;
}

/** The answer to a chat request: the whole result, or a stream whose first event has arrived. */
export type ChatAnswer =
  | { result: ChatResult; events?: undefined }
  | { result?: undefined; events: AsyncIterable<ChatEvent> };

/**
 * Calls the request's model. A stream is started and its first event awaited, so a failure before
 * it (unknown model, refused key, every deployment down) is thrown and answered with an HTTP error
 * rather than an SSE frame.
 */
export async function answerChat(
  ctx: RouteContext,
  request: ChatRequest,
  stream: boolean,
  route: string,
): Promise<ChatAnswer> {
  await checkModelName(ctx, request.model ?? '');
  const model = ctx.conduit.models.get(request.model ?? '');
  const options = await callOptions(ctx, route);
  if (!stream) return { result: await model.generate(request, options) };
  const iterator = model.stream(request, options)[Symbol.asyncIterator]();
  const first = await iterator.next();
  return { events: resume(first, iterator) };
}

/** The stream again from its first step, which was already pulled. */
function resume(first: IteratorResult<ChatEvent>, rest: AsyncIterator<ChatEvent>): AsyncIterable<ChatEvent> {
  let pending: IteratorResult<ChatEvent> | undefined = first;
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => {
        if (!pending) return rest.next();
        const step = pending;
        pending = undefined;
        return Promise.resolve(step);
      },
      return: async () => (await rest.return?.()) ?? { done: true, value: undefined },
    }),
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
