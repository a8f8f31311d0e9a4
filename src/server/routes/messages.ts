/**
 * POST /v1/messages — the Anthropic Messages API (plain and streaming) over any backend.
 */

import { createAnthropicEncoder, toAnthropicMessage } from '../anthropic/anthropic-format.js';
import { convertFromAnthropicRequest } from '../anthropic/convert-from-anthropic.js';
import { answerChat, modelHeaders, type RouteContext, sendJson } from '../route-context.js';
import { pipeSse } from '../sse.js';

export async function messagesRoute(ctx: RouteContext): Promise<void> {
  const { request, stream } = convertFromAnthropicRequest(await ctx.body());
  const answer = await answerChat(ctx, request, stream, 'messages');
  const id = `msg_${ctx.requestId.replace(/-/g, '')}`;
  const headers = modelHeaders(ctx, { 'request-id': ctx.requestId });
  if (!answer.events) {
    sendJson(ctx.res, 200, toAnthropicMessage(answer.result, id), headers);
    return;
  }
  await pipeSse(ctx.res, answer.events, createAnthropicEncoder({ id, model: request.model ?? '' }), headers);
}
