/**
 * Span attributes in the OpenTelemetry GenAI semantic conventions (`gen_ai.*`), so Conduit's traces
 * line up with every other GenAI-instrumented service in Jaeger, Tempo, Langfuse or Phoenix. One
 * mapping, used by the gateway's trace policy and by each router attempt.
 *
 * Content (`gen_ai.input.messages`, `gen_ai.output.messages`) is separate and opt-in: prompts and
 * completions are user data (SpanRecorder.captureContent).
 *
 * @example
 * span.setAttributes({ ...chatRequestAttributes(request, { provider: 'openai' }), ...contentAttributes(request) });
 */
import type { ChatResult, Cost, Usage } from '../../core/chat-event.js';
import { type ChatRequest, maxOutputTokens, stopSequences } from '../../core/chat-request.js';
import type { Attributes, AttributeValue } from '../../core/trace-context.js';
import { toInputMessages, toOutputMessages } from './genai-messages.js';

/**
 * Our provider ids → the well-known `gen_ai.provider.name` values. Providers the conventions do not
 * name (vllm, ollama, together, openrouter, …) keep their own id, as the conventions ask.
 */
const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  openai: 'openai',
  azure: 'azure.ai.openai',
  'azure-openai': 'azure.ai.openai',
  anthropic: 'anthropic',
  google: 'gcp.gemini',
  gemini: 'gcp.gemini',
  vertex: 'gcp.vertex_ai',
  deepseek: 'deepseek',
  groq: 'groq',
  mistral: 'mistral_ai',
  xai: 'x_ai',
  perplexity: 'perplexity',
  cohere: 'cohere',
  bedrock: 'aws.bedrock',
  watsonx: 'ibm.watsonx.ai',
};

/** `gen_ai.provider.name` for one of our provider ids. */
export function providerName(provider: string): string {
  const id = provider.toLowerCase();
  return Object.hasOwn(PROVIDER_NAMES, id) ? PROVIDER_NAMES[id]! : id;
}

/** Drops the `undefined` entries, so the result can also go where undefined is not allowed. */
function compact(attributes: Attributes): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const key in attributes) {
    const value = attributes[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Request attributes: operation, model and sampling parameters (no message content). */
export function chatRequestAttributes(
  request: ChatRequest,
  options: { provider?: string } = {},
): Record<string, AttributeValue> {
  const format = request.response_format?.type;
  return compact({
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': options.provider === undefined ? undefined : providerName(options.provider),
    'gen_ai.request.model': request.model,
    'gen_ai.request.temperature': request.temperature,
    'gen_ai.request.max_tokens': maxOutputTokens(request),
    'gen_ai.request.top_p': request.top_p,
    'gen_ai.request.top_k': request.top_k,
    'gen_ai.request.stop_sequences': request.stop === undefined ? undefined : stopSequences(request),
    'gen_ai.request.frequency_penalty': request.frequency_penalty,
    'gen_ai.request.presence_penalty': request.presence_penalty,
    'gen_ai.request.seed': request.seed,
    'gen_ai.request.choice.count': request.n !== undefined && request.n > 1 ? request.n : undefined,
    'gen_ai.output.type': format === undefined ? undefined : format === 'text' ? 'text' : 'json',
  });
}

/** Token counts (and cost, when known). */
export function usageAttributes(usage: Usage, cost?: Cost): Record<string, AttributeValue> {
  return compact({
    'gen_ai.usage.input_tokens': usage.promptTokens,
    'gen_ai.usage.output_tokens': usage.completionTokens,
    'gen_ai.usage.cache_read.input_tokens': usage.cachedTokens,
    'gen_ai.usage.cache_creation.input_tokens': usage.cacheWriteTokens,
    'gen_ai.usage.reasoning.output_tokens': usage.reasoningTokens,
    'conduit.cost_usd': cost?.total,
  });
}

export type ChatResultLike = Partial<Pick<ChatResult, 'id' | 'model' | 'finishReason' | 'usage' | 'cost'>> & {
  choices?: ChatResult['choices'];
  text?: string;
  toolCalls?: ChatResult['toolCalls'];
  reasoning?: string;
};

/**
 * Response attributes: id, model, finish reasons (one per choice), usage and cost; with
 * `captureContent`, the completion as `gen_ai.output.messages`. Takes a full ChatResult or the
 * parts a stream has produced so far.
 */
export function chatResultAttributes(
  result: ChatResultLike,
  options: { captureContent?: boolean } = {},
): Record<string, AttributeValue> {
  const reasons = result.choices?.length
    ? result.choices.map((choice) => choice.finishReason)
    : result.finishReason
      ? [result.finishReason]
      : undefined;
  return compact({
    'gen_ai.response.id': result.id,
    'gen_ai.response.model': result.model,
    'gen_ai.response.finish_reasons': reasons,
    ...(result.usage
      ? usageAttributes(result.usage, result.cost)
      : { 'conduit.cost_usd': result.cost?.total }),
    ...(options.captureContent ? outputContentAttributes(result) : {}),
  });
}

/** `gen_ai.input.messages`: the request's messages as JSON. Only when content capture is on. */
export function contentAttributes(request: Pick<ChatRequest, 'messages'>): Record<string, AttributeValue> {
  return { 'gen_ai.input.messages': JSON.stringify(toInputMessages(request.messages)) };
}

/** `gen_ai.output.messages`: one message per choice as JSON. Only when content capture is on. */
export function outputContentAttributes(result: ChatResultLike): Record<string, AttributeValue> {
  const choices = result.choices?.length
    ? result.choices
    : [
        {
          text: result.text ?? '',
          toolCalls: result.toolCalls ?? [],
          finishReason: result.finishReason ?? 'stop',
          reasoning: result.reasoning,
        },
      ];
  return { 'gen_ai.output.messages': JSON.stringify(toOutputMessages(choices)) };
}
