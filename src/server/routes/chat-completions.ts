/**
 * POST /v1/chat/completions — JSON or SSE (`stream: true`, `stream_options.include_usage`).
 */
import { parseChatBody } from '../chat-request-schema.js';
import { writeError } from '../http-errors.js';
import { createChunkEncoder, toChatCompletion } from '../openai-format.js';
import { gatewayContext, type RouteContext, sendJson } from '../route-context.js';
import { endSse, startSse, writeFrame } from '../sse.js';

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
  const encoder = createChunkEncoder({ id, model: request.model ?? '', includeUsage });
  startSse(ctx.res, headers);
  try {
    for await (const event of outcome.events) {
      if (event.type === 'error') {
        // After the first byte the status is sent: the failure travels as an SSE error frame.
        endSse(ctx.res, encoder.error(event.error));
        return;
      }
      await writeFrame(ctx.res, encoder.encode(event));
    }
    endSse(ctx.res, encoder.end());
  } catch (error) {
    writeError(ctx.res, error);
  }
}
