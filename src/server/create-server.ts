/**
 * The HTTP edge: node:http (no framework on the hot path), a route table, request ids, body limits,
 * client-disconnect aborts, and a graceful shutdown that drains in-flight streams. Handlers throw;
 * `writeError` is the one place errors become responses.
 *
 * @example
 * const server = createConduitServer({ conduit: await openConduit({ surface: 'gateway' }) });
 * const { url } = await server.listen(4141, '127.0.0.1');
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConduitError } from '../core/errors.js';
import { parseTraceparent } from '../core/trace-context.js';
import { type Principal, tokenFromHeaders } from '../gateway/key-auth.js';
import type { Conduit } from '../runtime/open-conduit.js';
import { type ErrorDialect, writeError } from './http-errors.js';
import { readJsonBody } from './read-body.js';
import type { RouteContext, RouteHandler } from './route-context.js';
import { clientRequestIdFrom, sendJson } from './route-context.js';
import { adminRoute } from './routes/admin.js';
import { chatCompletionsRoute } from './routes/chat-completions.js';
import { completionsRoute } from './routes/completions.js';
import { embeddingsRoute } from './routes/embeddings.js';
import { messagesRoute } from './routes/messages.js';
import { getModelRoute, listModelsRoute } from './routes/models.js';

interface Route {
  method: string;
  pattern: RegExp;
  /** Names of the pattern's capture groups, in order. */
  params?: string[];
  handler: RouteHandler;
  dialect?: ErrorDialect;
  /** Model routes: every request gets a usage-log row, also when refused before the gateway. */
  logged?: boolean;
}

export interface ServerOptions {
  conduit: Conduit;
  /** Extra routes (e.g. RAG collections) mounted before the built-in ones. */
  routes?: Route[];
  /** Whether dependencies are reachable, for /ready. */
  ready?: () => Promise<boolean>;
}

export interface ConduitServer {
  readonly server: Server;
  listen(port: number, host: string): Promise<{ url: string; port: number }>;
  /** Stops accepting, waits for in-flight requests (up to the grace period), then closes. */
  close(graceMs?: number): Promise<void>;
  /** Requests being answered. */
  readonly inFlight: number;
  /** Serves new requests with another runtime (config reload); in-flight ones finish on the old. */
  swapRuntime(next: Conduit): Conduit;
  currentRuntime(): Conduit;
}

export function createConduitServer(options: ServerOptions): ConduitServer {
  let conduit = options.conduit;
  const health: RouteHandler = async (ctx) => sendJson(ctx.res, 200, { status: 'ok' });
  const routes: Route[] = [
    ...(options.routes ?? []),
    {
      method: 'POST',
      pattern: /^(?:\/v1)?\/chat\/completions$/,
      handler: chatCompletionsRoute,
      logged: true,
    },
    { method: 'POST', pattern: /^(?:\/v1)?\/completions$/, handler: completionsRoute, logged: true },
    { method: 'POST', pattern: /^(?:\/v1)?\/embeddings$/, handler: embeddingsRoute, logged: true },
    {
      method: 'POST',
      pattern: /^(?:\/v1)?\/messages$/,
      handler: messagesRoute,
      dialect: 'anthropic',
      logged: true,
    },
    { method: 'GET', pattern: /^(?:\/v1)?\/models$/, handler: listModelsRoute },
    { method: 'GET', pattern: /^(?:\/v1)?\/models\/(.+)$/, params: ['id'], handler: getModelRoute },
    {
      method: '*',
      pattern: /^(?:\/v1)?\/collections(?:\/([^/]+))?(?:\/(documents|search|ask))?(?:\/([^/]+))?$/,
      params: ['name', 'resource', 'id'],
      // Loaded on first use: RAG brings jsdom and pdf.js, which a chat-only gateway should not pay for.
      handler: async (ctx) => (await import('./routes/collections.js')).collectionsRoute(ctx),
    },
    { method: 'GET', pattern: /^\/health$/, handler: health },
    {
      method: 'GET',
      pattern: /^\/ready$/,
      handler: async (ctx) => {
        const ok = options.ready ? await options.ready().catch(() => false) : true;
        sendJson(ctx.res, ok ? 200 : 503, { status: ok ? 'ready' : 'not ready' });
      },
    },
    {
      method: 'GET',
      pattern: /^\/metrics$/,
      handler: async (ctx) => {
        const text = await ctx.conduit.metrics.registry.metrics();
        ctx.res.writeHead(200, { 'content-type': ctx.conduit.metrics.registry.contentType });
        ctx.res.end(text);
      },
    },
    {
      method: '*',
      pattern: /^\/admin\/(keys|usage|traces|engine)(?:\/([^/]+))?(?:\/([^/]+))?$/,
      params: ['resource', 'id', 'action'],
      handler: adminRoute,
    },
  ];

  let inFlight = 0;
  let closing = false;
  const idle: (() => void)[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const startedAt = performance.now();
    const path = (req.url ?? '/').split('?')[0]!;
    const method = req.method ?? 'GET';
    // Our id is always fresh: a client's id is neither unique nor trusted (it is kept beside ours).
    const requestId = randomUUID();
    const clientRequestId = clientRequestIdFrom(headerValue(req, 'x-request-id'));
    let dialect: ErrorDialect = 'openai';
    let ctx: RouteContext | undefined;
    let logged = false;
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished)
        controller.abort(new ConduitError('cancelled', 'The client closed the connection'));
    });
    try {
      if (method === 'OPTIONS') {
        res.writeHead(204, corsHeaders());
        res.end();
        return;
      }
      if (closing)
        throw new ConduitError('overloaded', 'The server is shutting down', { retryAfterMs: 1_000 });
      let route: Route | undefined;
      let groups: RegExpExecArray | null = null;
      for (const candidate of routes) {
        if (candidate.method !== '*' && candidate.method !== method) continue;
        groups = candidate.pattern.exec(path);
        if (groups) {
          route = candidate;
          break;
        }
      }
      if (!route || !groups) {
        const known = routes.some((r) => r.pattern.test(path));
        throw new ConduitError(
          known ? 'bad_request' : 'not_found',
          known ? `Method ${method} is not allowed on ${path}` : `No route ${method} ${path}`,
        );
      }
      dialect = route.dialect ?? 'openai';
      logged = route.logged === true;
      const params: Record<string, string> = {};
      route.params?.forEach((name, i) => {
        const value = groups[i + 1];
        if (value === undefined) return;
        try {
          params[name] = decodeURIComponent(value);
        } catch {
          throw new ConduitError('bad_request', `The ${name} in the path is not valid percent-encoding`, {
            param: name,
          });
        }
      });
      let principal: Promise<Principal> | undefined;
      // A request keeps the runtime it started with, even if the config is reloaded meanwhile.
      const runtime = conduit;
      const cfg = runtime.config;
      let parsedBody: Promise<unknown> | undefined;
      const traceparent = req.headers.traceparent;
      ctx = {
        req,
        res,
        conduit: runtime,
        config: cfg,
        requestId,
        ...(clientRequestId ? { clientRequestId } : {}),
        startedAt,
        signal: controller.signal,
        traceParent: typeof traceparent === 'string' ? parseTraceparent(traceparent) : undefined,
        report: { startedAt, attempts: [] },
        params,
        principal: () => {
          principal ??= runtime.auth.authenticate(tokenFromHeaders(req.headers));
          return principal;
        },
        body: () => {
          parsedBody ??= readJsonBody(req, cfg.server.body_limit_bytes);
          return parsedBody;
        },
        tracked: false,
      };
      await route.handler(ctx);
    } catch (thrown) {
      // A model route refused before its model was called still gets a server span and a usage row.
      const rejected = logged && ctx !== undefined && !ctx.tracked;
      const span = rejected
        ? ctx!.conduit.traces.startSpan(`${method} ${path}`, ctx!.traceParent, {
            kind: 'server',
            startTime: performance.timeOrigin + ctx!.startedAt,
            attributes: {
              'http.request.method': method,
              'http.route': path,
              'conduit.request_id': requestId,
            },
          })
        : undefined;
      const traceId = span?.context.traceId ?? ctx?.report.traceId;
      if (traceId && !res.headersSent) res.setHeader('x-conduit-trace-id', traceId);
      const error = writeError(res, thrown, dialect);
      if (span && ctx) {
        span.setAttribute('http.response.status_code', error.status);
        span.recordError(error);
        span.end();
        await logRejected(ctx, path, error, span.context.traceId);
      }
    }
  };

  const logRejected = async (ctx: RouteContext, path: string, error: ConduitError, traceId: string) => {
    const body = (await ctx.body().catch(() => undefined)) as { model?: unknown } | undefined;
    const principal = await ctx.principal().catch(() => undefined);
    ctx.conduit.logRejected({
      requestId: ctx.requestId,
      clientRequestId: ctx.clientRequestId ?? null,
      route: path.replace(/^\/v1\//, '').replace(/^\//, ''),
      model: typeof body?.model === 'string' ? body.model : '',
      keyId: principal?.kind === 'virtual' ? principal.key.id : null,
      startedAt: ctx.startedAt,
      traceId,
      error,
    });
  };

  const server = createServer(
    { keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 },
    (req, res) => {
      inFlight++;
      res.setHeader('access-control-allow-origin', '*');
      void handle(req, res).finally(() => {
        inFlight--;
        if (inFlight === 0) for (const resolve of idle.splice(0)) resolve();
      });
    },
  );

  return {
    server,
    get inFlight() {
      return inFlight;
    },
    currentRuntime: () => conduit,
    swapRuntime(next) {
      const previous = conduit;
      conduit = next;
      return previous;
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve({ url: `http://${shown}:${address.port}`, port: address.port });
        });
      });
    },
    async close(graceMs = conduit.config.server.shutdown_grace_ms) {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => idle.push(resolve)),
          new Promise((r) => setTimeout(r, graceMs).unref()),
        ]);
      }
      server.closeAllConnections();
      await stopped;
      await conduit.close();
    },
  };
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' && value.length > 0 && value.length <= 128 ? value : undefined;
}

function corsHeaders(): Record<string, string> {
  return {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'GET, POST, PATCH, DELETE, OPTIONS',
    'access-control-allow-headers':
      'authorization, content-type, x-api-key, anthropic-version, x-conduit-cache, x-request-id',
    'access-control-max-age': '86400',
  };
}
