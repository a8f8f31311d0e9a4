/**
 * An OpenAI Chat Completions JSON response → ChatResult.
 */
import type { ChatChoice, ChatResult } from '../../core/chat-event.js';
import { emptyUsage } from '../../core/chat-event.js';
import { ConduitError } from '../../core/errors.js';
import type { ToolCall } from '../../core/messages.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { mapOpenAIUsage } from './map-openai-usage.js';
import type { OpenAIChatCompletion } from './openai-api.js';

export function mapOpenAIResponse(
  json: OpenAIChatCompletion,
  provider: string,
  requestedModel: string,
): ChatResult {
  if (!Array.isArray(json.choices) || json.choices.length === 0) {
    throw new ConduitError('invalid_response', `${provider} returned no choices`, {
      provider,
      details: JSON.stringify(json).slice(0, 500),
    });
  }
  const choices: ChatChoice[] = json.choices.map((choice, position) => {
    const message = choice.message ?? {};
    const toolCalls: ToolCall[] = (message.tool_calls ?? []).map((call, i) => ({
      id: call.id ?? `call_${position}_${i}`,
      type: 'function',
      function: { name: call.function?.name ?? '', arguments: call.function?.arguments ?? '' },
    }));
    const out: ChatChoice = {
      index: choice.index ?? position,
      text: message.content ?? '',
      toolCalls,
      finishReason: mapOpenAIFinishReason(choice.finish_reason, toolCalls.length > 0),
    };
    const reasoning = message.reasoning_content ?? message.reasoning;
    if (reasoning) out.reasoning = reasoning;
    if (choice.logprobs?.content) out.logprobs = choice.logprobs.content;
    if (message.refusal && !out.text) {
      out.text = message.refusal;
      out.finishReason = 'content_filter';
    }
    return out;
  });
  const first = choices[0]!;
  const result: ChatResult = {
    id: json.id ?? '',
    model: json.model ?? requestedModel,
    created: json.created ?? Math.floor(Date.now() / 1000),
    text: first.text,
    toolCalls: first.toolCalls,
    finishReason: first.finishReason,
    choices,
    usage: json.usage ? mapOpenAIUsage(json.usage) : emptyUsage(),
  };
  if (first.reasoning) result.reasoning = first.reasoning;
  if (json.system_fingerprint) result.providerMetadata = { system_fingerprint: json.system_fingerprint };
  return result;
}
