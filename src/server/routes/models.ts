/**
 * GET /v1/models and /v1/models/:id — what this gateway serves (for a virtual key: what it may use).
 */
import type { RouteContext } from '../route-context.js';
import { sendJson } from '../route-context.js';

const CREATED = Math.floor(Date.now() / 1000);

async function visibleModels(ctx: RouteContext) {
  const principal = await ctx.principal();
  const all = ctx.conduit.models.list();
  const allowed =
    principal.kind === 'virtual' && principal.key.models.length > 0
      ? new Set(principal.key.models)
      : undefined;
  return all
    .filter((m) => !allowed || allowed.has(m.id))
    .map((m) => ({
      id: m.id,
      object: 'model',
      created: CREATED,
      owned_by: 'conduit',
      deployments: m.deployments,
    }));
}

export async function listModelsRoute(ctx: RouteContext): Promise<void> {
  sendJson(ctx.res, 200, { object: 'list', data: await visibleModels(ctx) });
}

export async function getModelRoute(ctx: RouteContext): Promise<void> {
  const id = ctx.params.id ?? '';
  const model = (await visibleModels(ctx)).find((m) => m.id === id);
  if (!model) {
    // Direct provider/model names are valid without being listed.
    ctx.conduit.models.entry(id);
    sendJson(ctx.res, 200, { id, object: 'model', created: CREATED, owned_by: 'conduit' });
    return;
  }
  sendJson(ctx.res, 200, model);
}
