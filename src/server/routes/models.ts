/**
 * GET /v1/models and /v1/models/:id — what this gateway serves (for a virtual key with a model list:
 * only what it may use).
 *
 * Each model is OpenAI's four fields and nothing else. Deployments stay out: their model names can
 * be file paths (`local:./models/x.gguf`) and their connections hold base URLs and API keys, none of
 * which a client needs. A model a restricted key may not use answers exactly like one that does not
 * exist, so the key learns nothing about the rest of the gateway.
 */
import { ConduitError } from '../../core/errors.js';
import type { Principal } from '../../gateway/key-auth.js';
import type { RouteContext } from '../route-context.js';
import { sendJson } from '../route-context.js';

const CREATED = Math.floor(Date.now() / 1000);

function modelJson(id: string) {
  return { id, object: 'model', created: CREATED, owned_by: 'conduit' };
}

/** The model list of a restricted key; `undefined` for callers that may use every model. */
function allowedModels(principal: Principal): readonly string[] | undefined {
  return principal.kind === 'virtual' && principal.key.models.length > 0 ? principal.key.models : undefined;
}

/** Whether a name resolves on this gateway (an alias, or a `provider/model` it offers). */
function resolves(ctx: RouteContext, id: string): boolean {
  try {
    ctx.conduit.models.entry(id);
    return true;
  } catch {
    return false;
  }
}

async function visibleModels(ctx: RouteContext): Promise<string[]> {
  const listed = ctx.conduit.models.list().map((m) => m.id);
  const allowed = allowedModels(await ctx.principal());
  if (!allowed) return listed;
  const shown = listed.filter((id) => allowed.includes(id));
  // A key's list may name direct `provider/model` names that the gateway serves without listing.
  for (const id of allowed) if (!shown.includes(id) && resolves(ctx, id)) shown.push(id);
  return shown;
}

export async function listModelsRoute(ctx: RouteContext): Promise<void> {
  sendJson(ctx.res, 200, { object: 'list', data: (await visibleModels(ctx)).map(modelJson) });
}

export async function getModelRoute(ctx: RouteContext): Promise<void> {
  const id = ctx.params.id ?? '';
  const allowed = allowedModels(await ctx.principal());
  if (allowed) {
    if (!allowed.includes(id) || !resolves(ctx, id)) {
      throw new ConduitError(
        'not_found',
        `The model "${id}" does not exist or this key may not use it (GET /v1/models lists what it may use)`,
        { param: 'model' },
      );
    }
  } else {
    // Direct provider/model names are valid without being listed; an unknown name is a 404.
    ctx.conduit.models.entry(id);
  }
  sendJson(ctx.res, 200, modelJson(id));
}
