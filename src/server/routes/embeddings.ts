/**
 * POST /v1/embeddings — `input` as a string or a list of strings; `encoding_format` float or base64.
 */
import { z } from 'zod';
import { validationError } from '../chat-request-schema.js';
import { callOptions, checkModelName, modelHeaders, type RouteContext, sendJson } from '../route-context.js';

const embeddingSchema = z.looseObject({
  model: z.string().min(1, 'is required'),
  input: z.union([z.string(), z.array(z.string()).min(1, 'must not be empty').max(2048)]),
  dimensions: z.number().int().positive().optional(),
  encoding_format: z.enum(['float', 'base64']).optional(),
  user: z.string().optional(),
});

export async function embeddingsRoute(ctx: RouteContext): Promise<void> {
  const parsed = embeddingSchema.safeParse(await ctx.body());
  if (!parsed.success) throw validationError(parsed.error);
  const body = parsed.data;
  const input = typeof body.input === 'string' ? [body.input] : body.input;
  await checkModelName(ctx, body.model);
  const model = ctx.conduit.models.embedding(body.model);
  const options = await callOptions(ctx, 'embeddings');
  const result = await model.embed(
    input,
    body.dimensions ? { ...options, dimensions: body.dimensions } : options,
  );
  const base64 = body.encoding_format === 'base64';
  sendJson(
    ctx.res,
    200,
    {
      object: 'list',
      data: result.embeddings.map((embedding, index) => ({
        object: 'embedding',
        index,
        embedding: base64 ? Buffer.from(new Float32Array(embedding).buffer).toString('base64') : embedding,
      })),
      model: result.model,
      usage: { prompt_tokens: result.usage.promptTokens, total_tokens: result.usage.totalTokens },
    },
    modelHeaders(ctx),
  );
}
