/**
 * POST /v1/chat/completions — JSON or SSE (`stream: true`, `stream_options.include_usage`).
 */
import { parseChatBody } from '../chat-request-schema.js';
import { createChunkEncoder, toChatCompletion } from '../openai-format.js';
import { gatewayContext, type RouteContext, sendJson } from '../route-context.js';
import { pipeSse } from '../sse.js';

export async function chatCompletionsRoute(ctx: RouteContext): Promise<void> {
  const { request, stream, includeUsage } = parseChatBody(await ctx.body());
  const gw = await gatewayContext(ctx, 'chat');
  const outcome = await ctx.gateway.chat(request, gw, stream);
  const headers: Record<string, string> = { 'x-request-id': ctx.requestId };
  if (outcome.cacheHit !== undefined) headers['x-conduit-cache'] = outcome.cacheHit ? 'hit' : 'miss';
  const id = `chatcmpl-${ctx.requestId}`;
  if (!stream || !outcome.events) {
    sendJson(ctx.res, 200, toChatCompletion(outcome.result!, id), headers);
    return;
  }
  await pipeSse(
    ctx.res,
    outcome.events,
    createChunkEncoder({ id, model: request.model ?? '', includeUsage }),
    headers,
  );
}
