/**
 * POST /v1/messages — the Anthropic Messages API (plain and streaming) over any backend.
 */

import { createAnthropicEncoder, toAnthropicMessage } from '../anthropic/anthropic-format.js';
import { convertFromAnthropicRequest } from '../anthropic/convert-from-anthropic.js';
import { gatewayContext, type RouteContext, sendJson } from '../route-context.js';
import { pipeSse } from '../sse.js';

export async function messagesRoute(ctx: RouteContext): Promise<void> {
  const { request, stream } = convertFromAnthropicRequest(await ctx.body());
  const outcome = await ctx.gateway.chat(request, await gatewayContext(ctx, 'messages'), stream);
  const id = `msg_${ctx.requestId.replace(/-/g, '')}`;
  const headers: Record<string, string> = { 'x-request-id': ctx.requestId, 'request-id': ctx.requestId };
  if (outcome.cacheHit !== undefined) headers['x-conduit-cache'] = outcome.cacheHit ? 'hit' : 'miss';
  if (!stream || !outcome.events) {
    sendJson(ctx.res, 200, toAnthropicMessage(outcome.result!, id), headers);
    return;
  }
  await pipeSse(ctx.res, outcome.events, createAnthropicEncoder({ id, model: request.model ?? '' }), headers);
}
