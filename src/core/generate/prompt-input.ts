/**
 * The inputs every generate function shares: the conversation (either full `messages`, or a `prompt`
 * with an optional `system`), sampling parameters under their ChatRequest names, and call options.
 */
import type { ChatRequest } from '../chat-request.js';
import { ConduitError } from '../errors.js';
import type { CallOptions, LanguageModel } from '../language-model.js';
import type { ChatMessage } from '../messages.js';

/**
 * Sampling and request fields passed through unchanged. They keep ChatRequest's snake_case names, so
 * what you set here is exactly what reaches the provider.
 */
export type SamplingSettings = Pick<
  ChatRequest,
  | 'temperature'
  | 'top_p'
  | 'top_k'
  | 'max_tokens'
  | 'max_completion_tokens'
  | 'stop'
  | 'seed'
  | 'frequency_penalty'
  | 'presence_penalty'
  | 'logit_bias'
  | 'reasoning_effort'
  | 'user'
  | 'metadata'
  | 'extra_body'
>;

export type PromptInput =
  | { messages: ChatMessage[]; prompt?: undefined; system?: string }
  | { prompt: string; system?: string; messages?: undefined };

export type GenerateBaseOptions = PromptInput &
  SamplingSettings & {
    model: LanguageModel;
    callOptions?: CallOptions;
  };

const SAMPLING_KEYS = [
  'temperature',
  'top_p',
  'top_k',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'seed',
  'frequency_penalty',
  'presence_penalty',
  'logit_bias',
  'reasoning_effort',
  'user',
  'metadata',
  'extra_body',
] as const satisfies readonly (keyof SamplingSettings)[];

/** Copies the sampling fields that are set (undefined ones stay out of the request body). */
export function samplingFields(options: SamplingSettings): Partial<ChatRequest> {
  const out: Record<string, unknown> = {};
  for (const key of SAMPLING_KEYS) if (options[key] !== undefined) out[key] = options[key];
  return out as Partial<ChatRequest>;
}

/** The starting conversation. Exactly one of `prompt` and `messages` must be given. */
export function buildMessages(input: PromptInput): ChatMessage[] {
  const { prompt, messages, system } = input;
  if ((prompt === undefined) === (messages === undefined)) {
    throw new ConduitError('bad_request', 'Pass either `prompt` or `messages`, not both and not neither');
  }
  const head: ChatMessage[] = system === undefined ? [] : [{ role: 'system', content: system }];
  if (messages !== undefined) return [...head, ...messages];
  return [...head, { role: 'user', content: prompt as string }];
}
