/**
 * Validation of an OpenAI Chat Completions request body. Known fields are checked with their
 * documented ranges; a bad one is a 400 whose `param` names it (`messages[1].content`). Unknown
 * top-level fields pass through to the provider as `extra_body`, as OpenAI's own SDK allows.
 */
import { z } from 'zod';
import type { ChatRequest } from '../core/chat-request.js';
import { ConduitError } from '../core/errors.js';

const textPart = z.looseObject({ type: z.literal('text'), text: z.string() });
// Discriminated on `type`, so an unknown or incomplete part is told by name, not "no form matched".
const contentPart = z.discriminatedUnion('type', [
  textPart,
  z.looseObject({
    type: z.literal('image_url'),
    image_url: z.looseObject({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }),
  }),
  z.looseObject({
    type: z.literal('input_audio'),
    input_audio: z.looseObject({ data: z.string(), format: z.string() }),
  }),
  z.looseObject({ type: z.literal('file'), file: z.looseObject({}) }),
]);
const toolCall = z.looseObject({
  id: z.string(),
  type: z.literal('function'),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

const message = z.discriminatedUnion('role', [
  z.looseObject({
    role: z.enum(['system', 'developer']),
    content: z.union([z.string(), z.array(textPart)]),
    name: z.string().optional(),
  }),
  z.looseObject({
    role: z.literal('user'),
    content: z.union([z.string(), z.array(contentPart)]),
    name: z.string().optional(),
  }),
  z.looseObject({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(textPart), z.null()]).optional(),
    tool_calls: z.array(toolCall).optional(),
    name: z.string().optional(),
  }),
  z.looseObject({
    role: z.literal('tool'),
    content: z.union([z.string(), z.array(textPart)]),
    tool_call_id: z.string(),
  }),
]);

const tool = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -'),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullable().optional(),
  }),
});

const responseFormat = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    json_schema: z.looseObject({
      name: z.string().min(1),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullable().optional(),
    }),
  }),
]);

export const chatRequestSchema = z.looseObject({
  model: z.string().min(1, 'is required'),
  messages: z.array(message).min(1, 'must contain at least one message'),
  tools: z.array(tool).optional(),
  tool_choice: z
    .union([
      z.enum(['auto', 'none', 'required']),
      z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) }),
    ])
    .optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: responseFormat.optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  top_k: z.number().int().min(0).optional(),
  max_tokens: z.number().int().min(1).nullable().optional(),
  max_completion_tokens: z.number().int().min(1).nullable().optional(),
  stop: z
    .union([z.string(), z.array(z.string()).max(4)])
    .nullable()
    .optional(),
  seed: z.number().int().nullable().optional(),
  n: z.number().int().min(1).max(128).nullable().optional(),
  frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
  presence_penalty: z.number().min(-2).max(2).nullable().optional(),
  logit_bias: z.record(z.string(), z.number().min(-100).max(100)).nullable().optional(),
  logprobs: z.boolean().nullable().optional(),
  top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
  user: z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  reasoning_effort: z.enum(['minimal', 'low', 'medium', 'high']).optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
});

export type ParsedChatBody = z.infer<typeof chatRequestSchema>;

/** Formats a zod issue path as OpenAI does for `param`: `messages[1].content`. */
export function paramOf(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

/** The first issue of a failed parse, as a 400 ConduitError naming the field. */
export function validationError(error: z.ZodError): ConduitError {
  const issue = closestIssue(error.issues[0]!);
  const param = paramOf(issue.path);
  let message = issue.message;
  const detail = issue as {
    maximum?: unknown;
    minimum?: unknown;
    origin?: string;
    expected?: string;
    input?: unknown;
  };
  if (issue.code === 'invalid_type') {
    message =
      detail.input === undefined && /received undefined/.test(issue.message)
        ? 'is required'
        : `must be ${detail.expected}`;
  } else if (issue.code === 'too_big') {
    message =
      detail.origin === 'array'
        ? `must have at most ${detail.maximum} items`
        : `must be at most ${detail.maximum}`;
  } else if (issue.code === 'too_small') {
    message =
      detail.origin === 'array' || detail.origin === 'string'
        ? issue.message
        : (issue as { inclusive?: boolean }).inclusive === false
          ? `must be greater than ${detail.minimum}`
          : `must be at least ${detail.minimum}`;
  } else if (issue.code === 'invalid_union') {
    const options = (issue as { options?: unknown[] }).options;
    const branches = (issue as { errors?: z.core.$ZodIssue[][] }).errors ?? [];
    if (options?.length) message = `must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}`;
    else if (
      branches.length > 0 &&
      branches.every((b) => b[0]?.code === 'invalid_type' && b[0].path.length === 0)
    ) {
      // "expected string, received number" in every branch: list the types that would do.
      const expected = branches.map((b) => (b[0] as { expected?: string }).expected).filter(Boolean);
      message = `must be ${[...new Set(expected)].join(' or ')}`;
    } else message = 'does not match any accepted form';
  }
  return new ConduitError('bad_request', `Invalid request: ${param || 'body'} ${lower(message)}`, {
    param: param || undefined,
  });
}

/**
 * A union's failure told through the one branch the value came close to: the branch whose type it
 * had (`input` was an array, of too many items) rather than "does not match any accepted form".
 */
function closestIssue(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union') return issue;
  const branches = (issue as { errors?: z.core.$ZodIssue[][] }).errors ?? [];
  const near = branches.filter((b) => b[0] && !(b[0].code === 'invalid_type' && b[0].path.length === 0));
  if (near.length !== 1) return issue;
  const inner = near[0]![0]!;
  return closestIssue({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue);
}

function lower(message: string): string {
  return message.charAt(0).toLowerCase() + message.slice(1);
}

const KNOWN = new Set(Object.keys(chatRequestSchema.shape));

/** Parses a body into a ChatRequest plus the delivery options (`stream`, `include_usage`). */
export function parseChatBody(body: unknown): {
  request: ChatRequest;
  stream: boolean;
  includeUsage: boolean;
} {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ConduitError('bad_request', 'Request body must be a JSON object');
  }
  const parsed = chatRequestSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  const { stream, stream_options, ...rest } = parsed.data;
  const request: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    // OpenAI clients send explicit nulls for "unset"; dropping them keeps providers from seeing them.
    if (value === null || value === undefined) continue;
    if (KNOWN.has(key)) request[key] = value;
    else extra[key] = value;
  }
  if (Object.keys(extra).length > 0) request.extra_body = extra;
  return {
    request: request as unknown as ChatRequest,
    stream: stream === true,
    includeUsage: stream_options?.include_usage === true,
  };
}
