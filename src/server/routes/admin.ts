/**
 * The admin API (`/admin/*`): virtual keys, usage, traces and the local engine's loaded models.
 * Guarded by the master key; in development mode (no master key, loopback only) it is open, as the
 * start-up banner says.
 */
import { z } from 'zod';
import { ConduitError } from '../../core/errors.js';
import { parseTimeBound, TIME_BOUND_FORMS } from '../../core/parse-time.js';
import { LOCAL_DEFAULTS } from '../../engine/local-model-context.js';
import { BUDGET_PERIODS } from '../../gateway/key-admin.js';
import type { BudgetPeriod } from '../../storage/ports/key-store.js';
import type { TraceListQuery } from '../../storage/ports/trace-store.js';
import { USAGE_STATUS_CLASSES, type UsageQuery } from '../../storage/ports/usage-log.js';
import { summarizeTrace } from '../../storage/shared/span-records.js';
import { orderSpanTree } from '../../storage/shared/span-tree.js';
import { parseUsageStatus } from '../../storage/shared/usage-records.js';
import { validationError } from '../chat-request-schema.js';
import { type RouteContext, sendJson } from '../route-context.js';

const keySettings = z.strictObject({
  name: z.string().min(1).optional(),
  models: z.array(z.string().min(1)).optional(),
  // Names or globs, `:read` for read-only; null restores the default. The grammar is checked by
  // the key store, so the CLI and this API refuse the same entries.
  collections: z.array(z.string().min(1)).nullable().optional(),
  rpm: z.number().int().positive().nullable().optional(),
  tpm: z.number().int().positive().nullable().optional(),
  budget_usd: z.number().nonnegative().nullable().optional(),
  budget_period: z.enum(BUDGET_PERIODS as [BudgetPeriod, ...BudgetPeriod[]]).optional(),
  expires_at: z.number().int().positive().nullable().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

type KeySettingsBody = z.infer<typeof keySettings>;

function toSettings(body: KeySettingsBody) {
  const out: Record<string, unknown> = {};
  if (body.name !== undefined) out.name = body.name;
  if (body.models !== undefined) out.models = body.models;
  if (body.collections !== undefined) out.collections = body.collections;
  if (body.rpm !== undefined) out.rpm = body.rpm;
  if (body.tpm !== undefined) out.tpm = body.tpm;
  if (body.budget_usd !== undefined) out.budgetUsd = body.budget_usd;
  if (body.budget_period !== undefined) out.budgetPeriod = body.budget_period;
  if (body.expires_at !== undefined) out.expiresAt = body.expires_at;
  if (body.metadata !== undefined) out.metadata = body.metadata;
  return out;
}

async function requireAdmin(ctx: RouteContext): Promise<void> {
  const principal = await ctx.principal();
  if (principal.kind === 'master') return;
  if (principal.kind === 'anonymous' && ctx.conduit.devMode) return;
  throw new ConduitError(
    'permission',
    'The admin API needs the master key (master_key in conduit.yaml or CONDUIT_MASTER_KEY)',
    {
      param: 'authorization',
    },
  );
}

async function parse(ctx: RouteContext) {
  const parsed = keySettings.safeParse(await ctx.body());
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

const MAX_LIMIT = 1000;

const badParam = (param: string, message: string) => new ConduitError('bad_request', message, { param });

/**
 * The filters shared by `/admin/usage` and `/admin/traces`: since, until (a duration ago, an ISO
 * date or epoch ms), model, key, limit (capped at 1000). Bad values are 400s naming the parameter.
 */
function listFilters(params: URLSearchParams, now: number) {
  const text = (name: string) => params.get(name) || undefined;
  const time = (name: string) => {
    const value = text(name);
    if (value === undefined) return undefined;
    const at = parseTimeBound(value, now);
    if (at === undefined) throw badParam(name, `${name} must be ${TIME_BOUND_FORMS}, got "${value}"`);
    return at;
  };
  const limitText = text('limit');
  if (limitText !== undefined && !/^[1-9]\d*$/.test(limitText))
    throw badParam('limit', `limit must be a positive integer, got "${limitText}"`);
  const limit = limitText === undefined ? undefined : Math.min(Number(limitText), MAX_LIMIT);
  return { since: time('since'), until: time('until'), model: text('model'), keyId: text('key'), limit };
}

function usageQuery(params: URLSearchParams, now: number): UsageQuery {
  const { model, ...filters } = listFilters(params, now);
  const statusText = params.get('status') || undefined;
  const status = statusText === undefined ? undefined : parseUsageStatus(statusText);
  if (statusText !== undefined && status === undefined) {
    throw badParam(
      'status',
      `status must be an HTTP status (404) or one of ${USAGE_STATUS_CLASSES.join(', ')}, got "${statusText}"`,
    );
  }
  return { ...filters, alias: model, status, cursor: params.get('cursor') || undefined };
}

function traceQuery(params: URLSearchParams, now: number): TraceListQuery {
  const status = params.get('status') || undefined;
  if (status !== undefined && status !== 'ok' && status !== 'error')
    throw badParam('status', `status must be ok or error, got "${status}"`);
  return { ...listFilters(params, now), status };
}

/** `GET /admin/usage`: rows newest first (`next_cursor` pages on) and a per-model summary. */
async function usageRoute(ctx: RouteContext, params: URLSearchParams): Promise<void> {
  const query = usageQuery(params, Date.now());
  const { since, until, keyId, alias, status } = query;
  const [page, summary] = await Promise.all([
    ctx.conduit.storage.usage.query(query),
    ctx.conduit.storage.usage.summarize({ since, until, keyId, alias, status, groupBy: 'alias' }),
  ]);
  sendJson(ctx.res, 200, { rows: page.rows, next_cursor: page.nextCursor, summary });
}

/** `GET /admin/traces` lists summaries; `GET /admin/traces/{id}` gives the spans in tree order. */
async function tracesRoute(
  ctx: RouteContext,
  params: URLSearchParams,
  id: string | undefined,
): Promise<void> {
  const { traces } = ctx.conduit.storage;
  if (!id) {
    sendJson(ctx.res, 200, { data: await traces.listTraces(traceQuery(params, Date.now())) });
    return;
  }
  // An id of another shape is refused before any lookup, and never echoed back.
  if (!/^[0-9A-Za-z_-]{1,64}$/.test(id))
    throw new ConduitError(
      'bad_request',
      'A trace id is at most 64 letters, digits, "-" or "_" (W3C: 32 hex)',
      {
        param: 'id',
      },
    );
  const spans = await traces.getTrace(id);
  if (spans.length === 0) throw new ConduitError('not_found', `No trace "${id}"`, { param: 'id' });
  sendJson(ctx.res, 200, { summary: summarizeTrace(spans), spans: orderSpanTree(spans) });
}

/**
 * `GET /admin/engine`: the local models this gateway holds loaded (what `conduit ps` shows), each
 * with `unloadsAt` (epoch ms; null while in use or kept forever) and the server's `now` to count from.
 */
function engineRoute(ctx: RouteContext): void {
  const now = Date.now();
  const data = (ctx.conduit.local()?.status() ?? []).map((model) => {
    // The runtime's engine runs with the default keep-alive; the engine does not report its own yet.
    const unloadsAt = model.lastUsedAt + LOCAL_DEFAULTS.keepAliveMs;
    const busy = model.running + model.waiting > 0;
    return { ...model, unloadsAt: busy || !Number.isFinite(unloadsAt) ? null : unloadsAt };
  });
  sendJson(ctx.res, 200, { now, data });
}

/**
 * `GET /admin/usage/dead-letters`: usage rows the store refused, with its error, newest first — so an
 * operator sees what the log could not keep instead of it vanishing.
 */
async function deadLettersRoute(ctx: RouteContext, params: URLSearchParams): Promise<void> {
  const raw = params.get('limit');
  const limit = raw === null ? 100 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new ConduitError('bad_request', 'limit must be an integer from 1 to 1000', { param: 'limit' });
  }
  sendJson(ctx.res, 200, { data: await ctx.conduit.storage.usage.deadLetters({ limit }) });
}

export async function adminRoute(ctx: RouteContext): Promise<void> {
  await requireAdmin(ctx);
  const method = ctx.req.method ?? 'GET';
  const { keys } = ctx.conduit;
  const id = ctx.params.id;
  const action = ctx.params.action;
  const resource = ctx.params.resource;
  if (resource === 'engine' && method === 'GET' && !id) return engineRoute(ctx);
  if ((resource === 'usage' || resource === 'traces') && method === 'GET' && !action) {
    const params = new URL(ctx.req.url ?? '/', 'http://localhost').searchParams;
    if (resource === 'traces') return tracesRoute(ctx, params, id);
    if (!id) return usageRoute(ctx, params);
    if (id === 'dead-letters') return deadLettersRoute(ctx, params);
  }
  if (resource !== 'keys') throw new ConduitError('not_found', `No admin route ${method} ${ctx.req.url}`);
  if (!id) {
    if (method === 'GET') {
      const url = new URL(ctx.req.url ?? '/', 'http://localhost');
      sendJson(ctx.res, 200, {
        data: await keys.list({ includeRevoked: url.searchParams.get('include_revoked') === 'true' }),
      });
      return;
    }
    if (method === 'POST') {
      const body = await parse(ctx);
      if (!body.name)
        throw new ConduitError('bad_request', 'Invalid request: name is required', { param: 'name' });
      const created = await keys.create({ ...toSettings(body), name: body.name });
      sendJson(ctx.res, 201, { key: created.secret, ...created.key });
      return;
    }
  } else if (action === 'rotate' && method === 'POST') {
    const rotated = await keys.rotate(id);
    sendJson(ctx.res, 200, { key: rotated.secret, ...rotated.key });
    return;
  } else if (!action) {
    if (method === 'GET') {
      const found = (await keys.list({ includeRevoked: true })).find((k) => k.id === id || k.prefix === id);
      if (!found) throw new ConduitError('not_found', `No key "${id}"`, { param: 'id' });
      sendJson(ctx.res, 200, found);
      return;
    }
    if (method === 'PATCH') {
      sendJson(ctx.res, 200, await keys.update(id, toSettings(await parse(ctx))));
      return;
    }
    if (method === 'DELETE') {
      sendJson(ctx.res, 200, await keys.revoke(id));
      return;
    }
  }
  throw new ConduitError('not_found', `No admin route ${method} ${ctx.req.url}`);
}
