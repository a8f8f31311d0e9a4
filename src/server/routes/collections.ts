/**
 * RAG over HTTP: collections CRUD, document upload, search, and ask (SSE when `stream: true`).
 * Answers and embeddings go through the gateway with the caller's key, so they are routed, limited
 * and logged like chat requests.
 *
 * Upload: `POST /v1/collections/{name}/documents` with a JSON body `{ "url": "…" }` or
 * `{ "filename": "notes.md", "text": "…" }`, or the raw file as the body with `?filename=report.pdf`
 * (or an `x-filename` header).
 *
 * Access: a virtual key's `collections` scope decides what it may read and write (see
 * `collection-scope.ts`); the list shows only what it may read, and a collection it may not read is
 * a 404 like a missing one.
 *
 * Each request is a server span named by its route shape (`POST /v1/collections/{name}/ask`, never
 * the raw path); the retrievals, embeddings and answers it causes are recorded under it.
 */
import { ConduitError, toConduitError } from '../../core/errors.js';
import type { TraceContext } from '../../core/trace-context.js';
import {
  type CollectionScope,
  collectionScope,
  requireCollectionAccess,
  requireCollectionCreate,
} from '../../gateway/collection-scope.js';
import { bindCallOptions, bindEmbeddingOptions } from '../../gateway/policies/bind-call-options.js';
import type { AskEvent } from '../../rag/answer/ask-result.js';
import { askEventJson } from '../../rag/service/rag-json.js';
import { checkCollectionName } from '../../rag/service/rag-schemas.js';
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

/**
 * An uploaded file's name as the client gave it: a name, not a path. It becomes the document's id and
 * title, which other tools may later write to disk, so `../` and absolute paths are refused here.
 */
export function checkUploadFilename(filename: string, param = 'filename'): string {
  const problem =
    filename.length === 0 || filename.length > 255
      ? 'must be 1 to 255 characters'
      : /[\u0000-\u001f\u007f]/.test(filename)
        ? 'must not contain control characters'
        : /[/\\]/.test(filename) || filename === '.' || filename === '..'
          ? 'must be a file name, not a path (no "/", "\\" or "..")'
          : undefined;
  if (!problem) return filename;
  throw new ConduitError('bad_request', `${param} ${JSON.stringify(filename.slice(0, 100))} ${problem}`, {
    param,
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
      if (typeof body.id === 'string') checkUploadFilename(body.id, 'id');
      return {
        filename: checkUploadFilename(body.filename),
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
  checkUploadFilename(filename);
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

/** What a route under /v1/collections/{name} needs of that collection. */
function needOf(method: string, resource: string | undefined): 'read' | 'write' {
  if (method === 'GET') return 'read';
  return resource === 'search' || resource === 'ask' ? 'read' : 'write';
}

/** Refuses a create outside the scope; a body without a string name is left to the service's 400. */
async function checkCreate(ctx: RouteContext, scope: CollectionScope): Promise<unknown> {
  const body = await ctx.body();
  const name = (body as { name?: unknown } | null)?.name;
  if (typeof name === 'string') requireCollectionCreate(scope, name);
  return body;
}

async function handle(ctx: RouteContext, method: string, trace: TraceContext): Promise<void> {
  const { name, resource, id } = ctx.params;
  if (name) checkCollectionName(name);
  const scope = collectionScope(await ctx.principal());
  // Checked before anything is read or written, and before the service makes any model call.
  const createBody = !name && method === 'POST' ? await checkCreate(ctx, scope) : undefined;
  if (name) requireCollectionAccess(scope, name, needOf(method, resource));
  const rag = await service(ctx, trace);
  const call = { signal: ctx.signal, trace };
  if (!name) {
    if (method === 'GET') {
      const { collections } = await rag.listCollections();
      return sendJson(ctx.res, 200, {
        collections: collections.filter((c) => scope.access(c.name) !== 'none'),
      });
    }
    if (method === 'POST') return sendJson(ctx.res, 201, await rag.createCollection(createBody));
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
    if (stream !== undefined && typeof stream !== 'boolean') {
      throw new ConduitError('bad_request', 'stream must be true or false', { param: 'stream' });
    }
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
