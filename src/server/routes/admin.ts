/**
 * The admin API (`/admin/*`): virtual keys and usage. Guarded by the master key; in development
 * mode (no master key, loopback only) it is open, as the start-up banner says.
 */
import { z } from 'zod';
import { ConduitError } from '../../core/errors.js';
import { BUDGET_PERIODS } from '../../gateway/key-admin.js';
import type { BudgetPeriod } from '../../storage/ports/key-store.js';
import { validationError } from '../chat-request-schema.js';
import { type RouteContext, sendJson } from '../route-context.js';

const keySettings = z.strictObject({
  name: z.string().min(1).optional(),
  models: z.array(z.string().min(1)).optional(),
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
  if (principal.kind === 'anonymous' && ctx.gateway.devMode) return;
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

export async function adminRoute(ctx: RouteContext): Promise<void> {
  await requireAdmin(ctx);
  const method = ctx.req.method ?? 'GET';
  const { keys } = ctx.gateway;
  const id = ctx.params.id;
  const action = ctx.params.action;
  if (ctx.params.resource === 'usage') {
    const url = new URL(ctx.req.url ?? '/', 'http://localhost');
    const since = Number(url.searchParams.get('since') ?? 0) || undefined;
    const keyId = url.searchParams.get('key') ?? undefined;
    const limit = Number(url.searchParams.get('limit') ?? 100);
    const [page, summary] = await Promise.all([
      ctx.gateway.storage.usage.query({ since, keyId, limit }),
      ctx.gateway.storage.usage.summarize({ since, keyId, groupBy: 'alias' }),
    ]);
    sendJson(ctx.res, 200, { rows: page.rows, next_cursor: page.nextCursor, summary });
    return;
  }
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
