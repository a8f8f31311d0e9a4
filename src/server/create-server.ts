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
import type { AddressInfo, Socket } from 'node:net';
import { ConduitError } from '../core/errors.js';
import { parseTraceparent } from '../core/trace-context.js';
import { type Principal, tokenFromHeaders } from '../gateway/key-auth.js';
import type { Conduit } from '../runtime/open-conduit.js';
import { createConnectionGuard } from './connection-guard.js';
import { requireJsonContentType } from './content-type.js';
import { checkOrigin, corsHeaders } from './cross-origin.js';
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
  /**
   * Answered without authenticating first (health checks; /metrics checks for itself). Every other
   * route authenticates before its body is read, so a caller without a key costs no parsing and
   * learns nothing from validation or model-lookup errors.
   */
  open?: boolean;
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
    { method: 'GET', pattern: /^\/health$/, handler: health, open: true },
    {
      method: 'GET',
      pattern: /^\/ready$/,
      open: true,
      handler: async (ctx) => {
        const ok = options.ready ? await options.ready().catch(() => false) : true;
        sendJson(ctx.res, ok ? 200 : 503, { status: ok ? 'ready' : 'not ready' });
      },
    },
    {
      method: 'GET',
      pattern: /^\/metrics$/,
      open: true,
      handler: async (ctx) => {
        // Prometheus sends the master key as its bearer token; `metrics.public: true` opens the route.
        if (!ctx.config.metrics.public) {
          const principal = await ctx.principal();
          if (principal.kind === 'virtual') {
            throw new ConduitError('permission', '/metrics needs the master key (or metrics.public: true)', {
              param: 'authorization',
            });
          }
        }
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
  /** Aborts of the requests being answered, for the shutdown deadline. */
  const aborts = new Set<AbortController>();
  const connections = createConnectionGuard({
    maxPerAddress: () => conduit.config.server.max_unauthenticated_connections_per_ip,
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const startedAt = performance.now();
    const path = (req.url ?? '/').split('?')[0]!;
    const method = req.method ?? 'GET';
    // Our id is always fresh: a client's id is neither unique nor trusted (it is kept beside ours).
    const requestId = randomUUID();
    const clientRequestId = clientRequestIdFrom(headerValue(req, 'x-request-id'));
    // Every response names its request, errors included, so a client can quote it in a bug report.
    res.setHeader('x-request-id', clientRequestId ?? requestId);
    let dialect: ErrorDialect = 'openai';
    let ctx: RouteContext | undefined;
    let logged = false;
    const controller = new AbortController();
    aborts.add(controller);
    res.on('close', () => {
      aborts.delete(controller);
      if (!res.writableFinished)
        controller.abort(new ConduitError('cancelled', 'The client closed the connection'));
    });
    try {
      const origin = checkOrigin(req, path, conduit.config.cors.origins);
      if (method === 'OPTIONS') {
        res.writeHead(204, corsHeaders(origin, true));
        res.end();
        return;
      }
      for (const [name, value] of Object.entries(corsHeaders(origin, false))) res.setHeader(name, value);
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
          principal ??= runtime.auth.authenticate(tokenFromHeaders(req.headers)).then((who) => {
            connections.authenticated(req.socket);
            return who;
          });
          return principal;
        },
        body: () => {
          parsedBody ??= Promise.resolve().then(() => {
            requireJsonContentType(req);
            return readJsonBody(req, cfg.server.body_limit_bytes);
          });
          return parsedBody;
        },
        tracked: false,
      };
      // Refused during the drain, after the route is known: a model route's 503 still gets its row.
      if (closing)
        throw new ConduitError('overloaded', 'The server is shutting down; retry on another instance', {
          retryAfterMs: 1_000,
        });
      if (!route.open) await ctx.principal();
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

  const limits = conduit.config.server;
  const server = createServer(
    {
      keepAliveTimeout: 65_000,
      // A client must finish sending its request in time (slowloris); a response may stream for longer.
      headersTimeout: Math.min(limits.headers_timeout_ms, limits.request_timeout_ms),
      requestTimeout: limits.request_timeout_ms,
      // How often Node checks those deadlines (default 30 s, which would let them overrun by as much).
      connectionsCheckingInterval: Math.min(1_000, limits.headers_timeout_ms),
    },
    (req, res) => {
      inFlight++;
      void handle(req, res).finally(() => {
        inFlight--;
        if (inFlight === 0) for (const resolve of idle.splice(0)) resolve();
      });
    },
  );

  server.on('connection', (socket: Socket) => connections.admit(socket));

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
      const drained = (ms: number) =>
        inFlight === 0
          ? Promise.resolve()
          : Promise.race([
              new Promise<void>((resolve) => idle.push(resolve)),
              new Promise((r) => setTimeout(r, ms).unref()),
            ]);
      await drained(graceMs);
      if (inFlight > 0) {
        // The deadline: cut what is still running. Each stream ends with its dialect's SSE error
        // frame and each request settles its usage row; a moment is allowed for that before the
        // sockets close.
        const deadline = new ConduitError('overloaded', 'The server shut down before the response finished', {
          retryAfterMs: 1_000,
        });
        for (const controller of aborts) controller.abort(deadline);
        await drained(Math.min(2_000, graceMs));
      }
      server.closeAllConnections();
      await stopped;
      // Last: the runtime flushes the usage log and traces, rows of the cut requests included.
      await conduit.close();
    },
  };
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' && value.length > 0 && value.length <= 128 ? value : undefined;
}
