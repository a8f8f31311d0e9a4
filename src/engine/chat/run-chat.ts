/**
 * Runs a planned chat request on a leased sequence and turns node-llama-cpp's callbacks into
 * ChatEvents: text and reasoning deltas, tool-call deltas in OpenAI's shape, then usage (exact
 * token counts from the sequence's token meter, cost 0) and finish. Records the request's metrics.
 */
import type { LlamaContextSequence, LlamaGrammar, Token } from 'node-llama-cpp';
import type { ChatEvent, FinishReason, Usage } from '../../core/chat-event.js';
import type { ChatRequest } from '../../core/chat-request.js';
import type { AsyncQueue } from '../../core/generate/async-queue.js';
import type { EngineMetrics } from '../engine-metrics.js';
import type { LoadedModel } from '../loaded-model.js';
import type { ChatPlan } from './plan-chat.js';
import { type SamplingDefaults, samplingOptions } from './sampling-options.js';
import { parseForcedCall } from './tool-mode.js';
import { recentTokensOf } from './utf8-guard.js';

export interface RunChatOptions {
  loaded: LoadedModel;
  sequence: LlamaContextSequence;
  plan: ChatPlan;
  /** The compiled `plan.gbnf`, if any. */
  grammar: LlamaGrammar | undefined;
  request: ChatRequest;
  defaults: SamplingDefaults;
  signal: AbortSignal;
  events: AsyncQueue<ChatEvent>;
  /** Called on every generated token (idle timeouts). */
  onToken: () => void;
  metrics?: EngineMetrics;
  /** When the request arrived (before queueing), for time to first token. */
  arrivedAt: number;
}

const FREE_COST = { input: 0, cachedInput: 0, output: 0, total: 0 };

/** Resolves with the finish reason once every event is pushed; rejects on failure or abort. */
export async function runChat(options: RunChatOptions): Promise<FinishReason> {
  const { loaded, sequence, plan, request, events, metrics } = options;
  const { LlamaChat } = loaded.lib;
  const chat = new LlamaChat({ contextSequence: sequence, chatWrapper: plan.wrapper });
  const meterBefore = {
    input: sequence.tokenMeter.usedInputTokens,
    output: sequence.tokenMeter.usedOutputTokens,
  };
  const reusable = Math.min(
    sequence.compareContextTokens(plan.promptTokens as Token[]).firstDifferentIndex,
    plan.promptTokens.length - 1,
  );
  const sampling = samplingOptions(request, options.defaults, {
    lib: loaded.lib,
    model: loaded.model,
    recentTokens: recentTokensOf(sequence),
    utf8Guard: loaded.utf8Guard,
  });
  const { grammar } = options;

  let firstTokenAt: number | undefined;
  let lastTokenAt = 0;
  const tokenArrived = (count: number) => {
    const now = performance.now();
    if (firstTokenAt === undefined) {
      firstTokenAt = now;
      metrics?.observe(loaded.name, 'timeToFirstToken', (Date.now() - options.arrivedAt) / 1000);
    } else if (count > 0) {
      const gap = (now - lastTokenAt) / 1000 / count;
      for (let i = 0; i < count; i++) metrics?.observe(loaded.name, 'interTokenLatency', gap);
    }
    lastTokenAt = now;
    options.onToken();
  };

  const forced = plan.tools.kind === 'forced';
  let forcedText = '';
  const streamedCalls = new Set<number>();
  try {
    const result = await chat.generateResponse(plan.history, {
      ...sampling,
      maxTokens: plan.maxTokens,
      signal: options.signal,
      documentFunctionParams: true,
      ...(grammar ? { grammar } : {}),
      ...(plan.functions
        ? {
            functions: plan.functions,
            maxParallelFunctionCalls: request.parallel_tool_calls === false ? 1 : 8,
          }
        : {}),
      onToken: (tokens) => tokenArrived(tokens.length),
      onResponseChunk: (chunk) => {
        if (chunk.text === '') return;
        if (chunk.type === 'segment') events.push({ type: 'reasoning-delta', text: chunk.text });
        else if (forced) forcedText += chunk.text;
        else events.push({ type: 'text-delta', text: chunk.text });
      },
      onFunctionCallParamsChunk: (chunk) => {
        if (firstTokenAt === undefined) tokenArrived(0);
        const first = !streamedCalls.has(chunk.callIndex);
        streamedCalls.add(chunk.callIndex);
        events.push({
          type: 'tool-call-delta',
          index: chunk.callIndex,
          ...(first ? { id: callId(), name: chunk.functionName } : {}),
          arguments: chunk.paramsChunk,
        });
      },
    } as Parameters<typeof chat.generateResponse>[1]);

    let reason: FinishReason = result.metadata.stopReason === 'maxTokens' ? 'length' : 'stop';
    if (result.functionCalls && result.functionCalls.length > 0) {
      reason = 'tool_calls';
      for (const [index, call] of result.functionCalls.entries()) {
        if (streamedCalls.has(index)) continue;
        events.push({
          type: 'tool-call-delta',
          index,
          id: callId(),
          name: call.functionName,
          arguments: JSON.stringify(call.params ?? {}),
        });
      }
    }
    if (forced && reason === 'stop') {
      const call = parseForcedCall(forcedText, callId());
      events.push({
        type: 'tool-call-delta',
        index: 0,
        id: call.id,
        name: call.function.name,
        arguments: call.function.arguments,
      });
      reason = 'tool_calls';
    }
    const usage = usageOf(sequence, meterBefore, plan.promptTokens.length, reusable);
    metrics?.addTokens(loaded.name, {
      prompt: usage.promptTokens,
      cached: usage.cachedTokens ?? 0,
      generation: usage.completionTokens,
    });
    events.push({ type: 'usage', usage, cost: FREE_COST });
    events.push({ type: 'finish', reason });
    return reason;
  } finally {
    chat.dispose({ disposeSequence: false });
  }
}

/**
 * Prompt tokens are the rendered prompt; completion tokens are what the sequence sampled (tool-call
 * syntax included); cached tokens are prompt tokens the sequence did not have to evaluate again.
 */
function usageOf(
  sequence: LlamaContextSequence,
  before: { input: number; output: number },
  promptTokens: number,
  reusable: number,
): Usage {
  const evaluated = sequence.tokenMeter.usedInputTokens - before.input;
  const completionTokens = sequence.tokenMeter.usedOutputTokens - before.output;
  const cachedTokens = Math.max(0, Math.min(reusable, promptTokens - evaluated));
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, cachedTokens };
}

function callId(): string {
  return `call_${Math.random().toString(36).slice(2, 12)}`;
}
