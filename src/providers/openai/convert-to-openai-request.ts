/**
 * ChatRequest → an OpenAI Chat Completions body. Our request already uses OpenAI's field names, so
 * this is mostly a copy; the work is in the quirks of compatible servers (renamed or rejected
 * parameters, which field carries the output limit, whether stream usage can be asked for).
 */
import type { ChatRequest } from '../../core/chat-request.js';
import { maxOutputTokens } from '../../core/chat-request.js';

export type ChatParam = Exclude<keyof ChatRequest, 'messages' | 'model' | 'extra_body'>;

export interface OpenAIQuirks {
  /** The field the server reads the output limit from. */
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
  /** Whether the server honours `stream_options.include_usage`. */
  streamUsage: boolean;
  /** Parameters the server rejects: dropped from the body. */
  unsupported?: readonly ChatParam[];
  /** Parameters the server spells differently. */
  rename?: Partial<Record<ChatParam, string>>;
  /** The server's word for tool_choice "required". */
  toolChoiceRequired?: string;
}

export const OPENAI_QUIRKS: OpenAIQuirks = {
  maxTokensField: 'max_completion_tokens',
  streamUsage: true,
  unsupported: ['top_k'],
};

const PASSTHROUGH: readonly ChatParam[] = [
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'temperature',
  'top_p',
  'top_k',
  'stop',
  'seed',
  'n',
  'frequency_penalty',
  'presence_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'user',
  'metadata',
  'reasoning_effort',
];

/**
 * @example
 * const body = convertToOpenAIRequest(request, 'gpt-4o-mini', OPENAI_QUIRKS, { stream: true });
 */
export function convertToOpenAIRequest(
  request: ChatRequest,
  modelId: string,
  quirks: OpenAIQuirks,
  options: { stream?: boolean } = {},
): Record<string, unknown> {
  const body: Record<string, unknown> = { model: modelId, messages: request.messages };
  const unsupported = quirks.unsupported ?? [];
  for (const param of PASSTHROUGH) {
    const value = request[param];
    if (value === undefined || unsupported.includes(param)) continue;
    body[quirks.rename?.[param] ?? param] = value;
  }
  const limit = maxOutputTokens(request);
  if (limit !== undefined) body[quirks.maxTokensField] = limit;
  if (request.tool_choice === 'required' && quirks.toolChoiceRequired) {
    body[quirks.rename?.tool_choice ?? 'tool_choice'] = quirks.toolChoiceRequired;
  }
  if (options.stream) {
    body.stream = true;
    if (quirks.streamUsage) body.stream_options = { include_usage: true };
  }
  if (request.extra_body) Object.assign(body, request.extra_body);
  return body;
}
