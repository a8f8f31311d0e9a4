/**
 * RAG over HTTP: collections CRUD, document upload, search, and ask (SSE when `stream: true`).
 * Answers and embeddings go through the gateway with the caller's key, so they are routed, limited
 * and logged like chat requests.
 *
 * Upload: `POST /v1/collections/{name}/documents` with a JSON body `{ "url": "…" }` or
 * `{ "filename": "notes.md", "text": "…" }`, or the raw file as the body with `?filename=report.pdf`
 * (or an `x-filename` header).
 *
 * Each request is a server span named by its route shape (`POST /v1/collections/{name}/ask`, never
 * the raw path); the retrievals, embeddings and answers it causes are recorded under it.
 */
import { ConduitError, toConduitError } from '../../core/errors.js';
import type { TraceContext } from '../../core/trace-context.js';
import { bindCallOptions, bindEmbeddingOptions } from '../../gateway/policies/bind-call-options.js';
import type { AskEvent } from '../../rag/answer/ask-result.js';
import { askEventJson } from '../../rag/service/rag-json.js';
import { createRagService, type DocumentUpload } from '../../rag/service/rag-service.js';
import { readRawBody } from '../read-body.js';
import { callOptions, type RouteContext, responseRequestId, sendJson } from '../route-context.js';
import { endSse, startSse, writeFrame } from '../sse.js';

/** The RAG service with the caller's identity on every model call it makes (each gets a usage row). */
async function service(ctx: RouteContext, trace: TraceContext) {
  const { report: _shared, ...options } = await callOptions(ctx, 'chat');
  const base = { ...options, trace };
  const models = ctx.conduit.models;
  return createRagService({
    store: ctx.conduit.storage.documents,
    languageModel: (spec) => bindCallOptions(models.get(spec), base),
    embeddingModel: (spec) =>
      bindEmbeddingOptions(models.embedding(spec), { ...base, metadata: { route: 'embeddings' } }),
    defaultModel: ctx.conduit.config.default_model ?? process.env.CONDUIT_RAG_MODEL,
  });
}

async function upload(ctx: RouteContext): Promise<DocumentUpload> {
  const type = String(ctx.req.headers['content-type'] ?? '');
  if (type.startsWith('application/json')) {
    const parsed = await ctx.body();
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ConduitError(
        'bad_request',
        'A JSON upload must be an object: { "url": "…" } or { "filename": "…", "text": "…" }',
        { param: 'body' },
      );
    }
    const body = parsed as Record<string, unknown>;
    if (typeof body.url === 'string')
      return { url: body.url, metadata: body.metadata as Record<string, unknown> | undefined };
    if (typeof body.filename === 'string' && typeof body.text === 'string') {
      return {
        filename: body.filename,
        data: body.text,
        ...(typeof body.title === 'string' ? { title: body.title } : {}),
        ...(typeof body.id === 'string' ? { id: body.id } : {}),
        ...(body.metadata ? { metadata: body.metadata as Record<string, unknown> } : {}),
      };
    }
    throw new ConduitError(
      'bad_request',
      'Send { "url": "…" }, { "filename": "…", "text": "…" }, or the raw file with ?filename=',
      {
        param: 'body',
      },
    );
  }
  const url = new URL(ctx.req.url ?? '/', 'http://localhost');
  const filename = url.searchParams.get('filename') ?? (ctx.req.headers['x-filename'] as string | undefined);
  if (!filename)
    throw new ConduitError('bad_request', 'A raw upload needs ?filename= (or an x-filename header)', {
      param: 'filename',
    });
  const data = await readRawBody(ctx.req, ctx.config.server.body_limit_bytes);
  return { filename, data, ...(type ? { contentType: type } : {}) };
}

/** The route as a fixed shape: collection and document names are ids, kept out of span names. */
function routeShape({ name, resource, id }: Record<string, string | undefined>): string {
  return `/v1/collections${name ? '/{name}' : ''}${resource ? `/${resource}` : ''}${id ? '/{id}' : ''}`;
}

export async function collectionsRoute(ctx: RouteContext): Promise<void> {
  const method = ctx.req.method ?? 'GET';
  const route = routeShape(ctx.params);
  const span = ctx.conduit.traces.startSpan(`${method} ${route}`, ctx.traceParent, {
    kind: 'server',
    startTime: performance.timeOrigin + ctx.startedAt,
    attributes: {
      'http.request.method': method,
      'http.route': route,
      'conduit.request_id': ctx.requestId,
      'gen_ai.data_source.id': ctx.params.name,
    },
  });
  ctx.res.setHeader('x-conduit-trace-id', span.context.traceId);
  try {
    await handle(ctx, method, { ...span.context, recorder: ctx.conduit.traces });
    span.setAttribute('http.response.status_code', ctx.res.statusCode);
  } catch (error) {
    span.setAttribute('http.response.status_code', toConduitError(error).status);
    span.recordError(error);
    throw error;
  } finally {
    span.end();
  }
}

async function handle(ctx: RouteContext, method: string, trace: TraceContext): Promise<void> {
  const rag = await service(ctx, trace);
  const { name, resource, id } = ctx.params;
  const call = { signal: ctx.signal, trace };
  if (!name) {
    if (method === 'GET') return sendJson(ctx.res, 200, await rag.listCollections());
    if (method === 'POST') return sendJson(ctx.res, 201, await rag.createCollection(await ctx.body()));
  } else if (!resource) {
    if (method === 'GET') return sendJson(ctx.res, 200, await rag.getCollection(name));
    if (method === 'DELETE') return sendJson(ctx.res, 200, await rag.deleteCollection(name));
  } else if (resource === 'documents') {
    if (!id && method === 'GET') return sendJson(ctx.res, 200, await rag.listDocuments(name));
    if (!id && method === 'POST')
      return sendJson(ctx.res, 200, await rag.addDocument(name, await upload(ctx), call));
    if (id && method === 'DELETE') return sendJson(ctx.res, 200, await rag.deleteDocument(name, id));
  } else if (resource === 'search' && method === 'POST') {
    return sendJson(ctx.res, 200, await rag.search(name, await ctx.body(), call));
  } else if (resource === 'ask' && method === 'POST') {
    const body = (await ctx.body()) as Record<string, unknown>;
    const { stream, ...rest } = body ?? {};
    if (stream !== true) {
      let outcome: AskEvent | undefined;
      for await (const event of await rag.ask(name, rest, call)) {
        if (event.type === 'result' || event.type === 'error') outcome = event;
      }
      if (outcome?.type === 'error') throw outcome.error;
      if (outcome?.type !== 'result') throw new ConduitError('internal', 'The answer ended without a result');
      return sendJson(ctx.res, 200, askEventJson(outcome).data);
    }
    const events = rag.askEvents(name, rest, call);
    const first = await events.next();
    startSse(ctx.res, { 'x-request-id': responseRequestId(ctx) });
    for (let step = first; !step.done; step = await events.next()) {
      await writeFrame(ctx.res, `event: ${step.value.event}\ndata: ${JSON.stringify(step.value.data)}\n\n`);
    }
    endSse(ctx.res);
    return;
  }
  throw new ConduitError('not_found', `No route ${method} ${ctx.req.url}`);
}
