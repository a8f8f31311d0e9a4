/**
 * POST /v1/chat/completions — JSON or SSE (`stream: true`, `stream_options.include_usage`).
 */
import { parseChatBody } from '../chat-request-schema.js';
import { createChunkEncoder, toChatCompletion } from '../openai-format.js';
import { answerChat, modelHeaders, type RouteContext, sendJson } from '../route-context.js';
import { pipeSse } from '../sse.js';

export async function chatCompletionsRoute(ctx: RouteContext): Promise<void> {
  const { request, stream, includeUsage } = parseChatBody(await ctx.body());
  const answer = await answerChat(ctx, request, stream, 'chat');
  const id = `chatcmpl-${ctx.requestId}`;
  if (!answer.events) {
    sendJson(ctx.res, 200, toChatCompletion(answer.result, id), modelHeaders(ctx));
    return;
  }
  await pipeSse(
    ctx.res,
    answer.events,
    createChunkEncoder({ id, model: request.model ?? '', includeUsage }),
    modelHeaders(ctx),
  );
}
