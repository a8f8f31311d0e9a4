/**
 * POST /v1/messages — the Anthropic Messages API (plain and streaming) over any backend.
 */

import { createAnthropicEncoder, toAnthropicMessage } from '../anthropic/anthropic-format.js';
import { convertFromAnthropicRequest } from '../anthropic/convert-from-anthropic.js';
import { writeError } from '../http-errors.js';
import { gatewayContext, type RouteContext, sendJson } from '../route-context.js';
import { endSse, startSse, writeFrame } from '../sse.js';

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
  const encoder = createAnthropicEncoder({ id, model: request.model ?? '' });
  startSse(ctx.res, headers);
  try {
    for await (const event of outcome.events) {
      if (event.type === 'error') {
        endSse(ctx.res, encoder.error(event.error));
        return;
      }
      await writeFrame(ctx.res, encoder.encode(event));
    }
    endSse(ctx.res, encoder.end());
  } catch (error) {
    writeError(ctx.res, error, 'anthropic');
  }
}
