/**
 * A Gemini `generateContent` response → ChatResult, plus the pieces the stream translator shares:
 * finish reasons, usage and logprobs. Gemini reports token counts separately where OpenAI nests them
 * (thoughts beside candidates, cached inside prompt), so usage is re-added here.
 */
import { randomUUID } from 'node:crypto';
import type { ChatChoice, ChatResult, FinishReason, TokenLogprob, Usage } from '../../core/chat-event.js';
import { emptyUsage } from '../../core/chat-event.js';
import { ConduitError } from '../../core/errors.js';
import type { ToolCall } from '../../core/messages.js';
import type {
  GeminiCandidate,
  GeminiPromptFeedback,
  GeminiResponse,
  GeminiUsageMetadata,
} from './gemini-api.js';

const FILTERED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY']);
const FAILED = new Set(['MALFORMED_FUNCTION_CALL', 'UNEXPECTED_TOOL_CALL', 'TOO_MANY_TOOL_CALLS']);

/** Gemini's finishReason → ours. Gemini says STOP even when it stopped to call functions. */
export function mapGeminiFinishReason(reason: string | undefined, hasToolCalls: boolean): FinishReason {
  if (reason === 'MAX_TOKENS') return 'length';
  if (reason !== undefined && FILTERED.has(reason)) return 'content_filter';
  if (reason !== undefined && FAILED.has(reason)) return 'error';
  return hasToolCalls ? 'tool_calls' : 'stop';
}

/**
 * Gemini's usageMetadata → ours. `candidatesTokenCount` excludes thoughts, and
 * `cachedContentTokenCount` is already inside `promptTokenCount` (see the implicit-caching fixture:
 * 12013 + 15 + 73 = 12101 total).
 */
export function mapGeminiUsage(usage: GeminiUsageMetadata | undefined): Usage {
  if (!usage) return emptyUsage();
  const thoughts = usage.thoughtsTokenCount ?? 0;
  const promptTokens = (usage.promptTokenCount ?? 0) + (usage.toolUsePromptTokenCount ?? 0);
  const completionTokens = (usage.candidatesTokenCount ?? 0) + thoughts;
  const out: Usage = {
    promptTokens,
    completionTokens,
    totalTokens: usage.totalTokenCount ?? promptTokens + completionTokens,
  };
  if (usage.cachedContentTokenCount) out.cachedTokens = usage.cachedContentTokenCount;
  if (thoughts) out.reasoningTokens = thoughts;
  return out;
}

/** The error for a prompt Gemini refused to answer at all (no candidates, a block reason). */
export function promptBlockedError(feedback: GeminiPromptFeedback): ConduitError {
  const reason = feedback.blockReason ?? 'BLOCKED';
  const detail = feedback.blockReasonMessage ? `: ${feedback.blockReasonMessage}` : '';
  return new ConduitError('content_filter', `google: the prompt was blocked (${reason})${detail}`, {
    provider: 'google',
    upstreamCode: reason,
    details: feedback.safetyRatings,
  });
}

/** Chosen tokens with their top alternatives, in OpenAI's logprobs shape. */
export function mapGeminiLogprobs(candidate: GeminiCandidate): TokenLogprob[] | undefined {
  const chosen = candidate.logprobsResult?.chosenCandidates;
  if (!chosen || chosen.length === 0) return undefined;
  const top = candidate.logprobsResult?.topCandidates ?? [];
  return chosen.map((token, i) => {
    const out: TokenLogprob = { token: token.token ?? '', logprob: token.logProbability ?? 0 };
    const alternatives = top[i]?.candidates;
    if (alternatives) {
      out.top_logprobs = alternatives.map((alt) => ({
        token: alt.token ?? '',
        logprob: alt.logProbability ?? 0,
      }));
    }
    return out;
  });
}

/** An id for a response Gemini sent without `responseId` (older models, some proxies). */
export function generatedResponseId(): string {
  return `gemini-${randomUUID()}`;
}

/** `call_<n>`: Gemini's REST API gives function calls no ids, and a choice's calls are ordered. */
export function geminiToolCallId(index: number): string {
  return `call_${index}`;
}

/**
 * @example
 * const result = mapGeminiResponse(json, 'gemini-2.5-flash');
 */
export function mapGeminiResponse(json: GeminiResponse, requestedModel: string): ChatResult {
  const candidates = json.candidates ?? [];
  if (candidates.length === 0) {
    if (json.promptFeedback) throw promptBlockedError(json.promptFeedback);
    throw new ConduitError('invalid_response', 'google returned no candidates', {
      provider: 'google',
      details: JSON.stringify(json).slice(0, 500),
    });
  }
  const choices = candidates.map((candidate, position) => mapCandidate(candidate, position));
  const first = choices[0]!;
  const result: ChatResult = {
    id: json.responseId ?? generatedResponseId(),
    model: json.modelVersion ?? requestedModel,
    created: Math.floor(Date.now() / 1000),
    text: first.text,
    toolCalls: first.toolCalls,
    finishReason: first.finishReason,
    choices,
    usage: mapGeminiUsage(json.usageMetadata),
  };
  if (first.reasoning) result.reasoning = first.reasoning;
  result.providerMetadata = { google: candidateMetadata(candidates[0]!, json.promptFeedback) };
  return result;
}

function mapCandidate(candidate: GeminiCandidate, position: number): ChatChoice {
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCall[] = [];
  for (const part of candidate.content?.parts ?? []) {
    if (part.functionCall) {
      const call: ToolCall = {
        id: geminiToolCallId(toolCalls.length),
        type: 'function',
        function: { name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) },
      };
      // Gemini 3 rejects a replayed call without the signature it issued; it rides on the call.
      if (part.thoughtSignature)
        call.extra_content = { google: { thought_signature: part.thoughtSignature } };
      toolCalls.push(call);
    } else if (typeof part.text === 'string') {
      if (part.thought) reasoning += part.text;
      else text += part.text;
    }
  }
  const choice: ChatChoice = {
    index: candidate.index ?? position,
    text,
    toolCalls,
    finishReason: mapGeminiFinishReason(candidate.finishReason, toolCalls.length > 0),
  };
  if (reasoning) choice.reasoning = reasoning;
  const logprobs = mapGeminiLogprobs(candidate);
  if (logprobs) choice.logprobs = logprobs;
  return choice;
}

/** What a caller may want beyond the text: why Gemini stopped, safety ratings, citations, grounding. */
export function candidateMetadata(
  candidate: GeminiCandidate,
  promptFeedback?: GeminiPromptFeedback,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (candidate.finishReason) out.finishReason = candidate.finishReason;
  if (candidate.finishMessage) out.finishMessage = candidate.finishMessage;
  if (candidate.safetyRatings) out.safetyRatings = candidate.safetyRatings;
  if (candidate.citationMetadata) out.citationMetadata = candidate.citationMetadata;
  if (candidate.groundingMetadata) out.groundingMetadata = candidate.groundingMetadata;
  if (promptFeedback) out.promptFeedback = promptFeedback;
  return out;
}
