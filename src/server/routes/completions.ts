/**
 * POST /v1/completions — the legacy text-completion API, served by sending the prompt as one user
 * message to the chat model behind the name (what OpenAI-compatible servers of chat models do).
 */
import { z } from 'zod';
import type { ChatRequest } from '../../core/chat-request.js';
import { ConduitError } from '../../core/errors.js';
import { validationError } from '../chat-request-schema.js';
import { errorBody, writeError } from '../http-errors.js';
import { openAIUsage } from '../openai-format.js';
import { answerChat, modelHeaders, type RouteContext, sendJson } from '../route-context.js';
import { endSse, startSse, writeFrame } from '../sse.js';

const completionSchema = z.looseObject({
  model: z.string().min(1, 'is required'),
  prompt: z.union([z.string(), z.array(z.string()).min(1).max(1)]),
  max_tokens: z.number().int().positive().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  n: z.number().int().min(1).max(128).nullable().optional(),
  stop: z
    .union([z.string(), z.array(z.string()).max(4)])
    .nullable()
    .optional(),
  seed: z.number().int().nullable().optional(),
  presence_penalty: z.number().min(-2).max(2).nullable().optional(),
  frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
  user: z.string().optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  echo: z.boolean().nullable().optional(),
  suffix: z.string().nullable().optional(),
});

export async function completionsRoute(ctx: RouteContext): Promise<void> {
  const parsed = completionSchema.safeParse(await ctx.body());
  if (!parsed.success) throw validationError(parsed.error);
  const body = parsed.data;
  if (body.echo)
    throw new ConduitError('unsupported', 'echo is not supported: chat models do not return the prompt', {
      param: 'echo',
    });
  if (body.suffix)
    throw new ConduitError('unsupported', 'suffix (fill-in-the-middle) is not supported', {
      param: 'suffix',
    });
  const prompt = typeof body.prompt === 'string' ? body.prompt : body.prompt[0]!;
  const request: ChatRequest = { model: body.model, messages: [{ role: 'user', content: prompt }] };
  for (const key of [
    'max_tokens',
    'temperature',
    'top_p',
    'n',
    'stop',
    'seed',
    'presence_penalty',
    'frequency_penalty',
    'user',
  ] as const) {
    const value = body[key];
    if (value !== null && value !== undefined) (request as unknown as Record<string, unknown>)[key] = value;
  }
  const stream = body.stream === true;
  const answer = await answerChat(ctx, request, stream, 'completions');
  const id = `cmpl-${ctx.requestId}`;
  const headers = modelHeaders(ctx);
  if (!answer.events) {
    const result = answer.result;
    sendJson(
      ctx.res,
      200,
      {
        id,
        object: 'text_completion',
        created: result.created,
        model: result.model,
        choices: result.choices.map((c) => ({
          text: c.text,
          index: c.index,
          logprobs: null,
          finish_reason: c.finishReason,
        })),
        usage: openAIUsage(result.usage),
      },
      headers,
    );
    return;
  }
  startSse(ctx.res, headers);
  const created = Math.floor(Date.now() / 1000);
  let model = body.model;
  const frame = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id, object: 'text_completion', created, model, choices, ...extra })}\n\n`;
  let usage: Record<string, unknown> | undefined;
  try {
    for await (const event of answer.events) {
      if (event.type === 'start') model = event.model || model;
      else if (event.type === 'text-delta') {
        await writeFrame(
          ctx.res,
          frame([{ text: event.text, index: event.choice ?? 0, logprobs: null, finish_reason: null }]),
        );
      } else if (event.type === 'finish') {
        await writeFrame(
          ctx.res,
          frame([{ text: '', index: event.choice ?? 0, logprobs: null, finish_reason: event.reason }]),
        );
      } else if (event.type === 'usage') usage = openAIUsage(event.usage);
      else if (event.type === 'error') {
        endSse(ctx.res, `data: ${JSON.stringify(errorBody(event.error, 'openai'))}\n\n`);
        return;
      }
    }
    if (body.stream_options?.include_usage && usage) await writeFrame(ctx.res, frame([], { usage }));
    endSse(ctx.res, 'data: [DONE]\n\n');
  } catch (error) {
    writeError(ctx.res, error);
  }
}
