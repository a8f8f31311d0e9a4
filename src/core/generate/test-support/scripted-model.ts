/**
 * A LanguageModel that plays back queued responses and records every request, for testing the logic
 * *around* a model (tool loop, repair round, streaming parsers) rather than any provider. A queued
 * response may be a function of the request, so a test can assert what the loop sent at that step.
 */
import type { ChatEvent, ChatResult, Cost, FinishReason, Usage } from '../../chat-event.js';
import type { ChatRequest } from '../../chat-request.js';
import { ConduitError } from '../../errors.js';
import type { CallOptions, LanguageModel, ModelCapabilities } from '../../language-model.js';
import type { ToolCall } from '../../messages.js';

export interface ScriptedResponse {
  text?: string;
  toolCalls?: { id: string; name: string; arguments: string }[];
  finishReason?: FinishReason;
  usage?: Usage;
  /** Omit to simulate a model without a price. */
  cost?: Cost;
  /** Stream only: an error event after the text, as a provider failing mid-stream would send. */
  streamError?: ConduitError;
}

export type ScriptedStep = ScriptedResponse | ((request: ChatRequest) => ScriptedResponse);

export interface ScriptedModel extends LanguageModel {
  readonly requests: ChatRequest[];
  readonly callOptions: (CallOptions | undefined)[];
  /** Responses not yet used; a test ends with none left. */
  readonly remaining: number;
}

export interface ScriptedModelOptions {
  steps: ScriptedStep[];
  capabilities?: ModelCapabilities;
  /** Characters per text-delta / tool-call-delta when streaming. Default 4. */
  chunkSize?: number;
}

export const USAGE: Usage = { promptTokens: 10, completionTokens: 5, totalTokens: 15 };
export const COST: Cost = { input: 0.001, cachedInput: 0, output: 0.002, total: 0.003 };

function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export function createScriptedModel(options: ScriptedModelOptions): ScriptedModel {
  const queue = [...options.steps];
  const requests: ChatRequest[] = [];
  const callOptions: (CallOptions | undefined)[] = [];
  const size = options.chunkSize ?? 4;

  const next = (request: ChatRequest, opts: CallOptions | undefined): ScriptedResponse => {
    // Deep copy: the code under test must not be able to change what a test asserts afterwards.
    requests.push(structuredClone(request));
    callOptions.push(opts);
    const step = queue.shift();
    if (!step)
      throw new ConduitError('internal', `Scripted model: no response queued for call ${requests.length}`);
    return typeof step === 'function' ? step(request) : step;
  };

  const toResult = (response: ScriptedResponse): ChatResult => {
    const toolCalls: ToolCall[] = (response.toolCalls ?? []).map((c) => ({
      id: c.id,
      type: 'function',
      function: { name: c.name, arguments: c.arguments },
    }));
    const text = response.text ?? '';
    const finishReason = response.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop');
    const result: ChatResult = {
      id: `scripted-${requests.length}`,
      model: 'scripted',
      created: 0,
      text,
      toolCalls,
      finishReason,
      choices: [{ index: 0, text, toolCalls, finishReason }],
      usage: response.usage ?? USAGE,
    };
    if (response.cost) result.cost = response.cost;
    return result;
  };

  return {
    id: 'scripted:test',
    provider: 'scripted',
    modelId: 'test',
    ...(options.capabilities ? { capabilities: options.capabilities } : {}),
    requests,
    callOptions,
    get remaining() {
      return queue.length;
    },
    async generate(request, opts) {
      return toResult(next(request, opts));
    },
    async *stream(request, opts) {
      const response = next(request, opts);
      const result = toResult(response);
      yield { type: 'start', id: result.id, model: result.model } satisfies ChatEvent;
      for (const text of chunks(result.text, size)) yield { type: 'text-delta', text };
      if (response.streamError) {
        yield { type: 'error', error: response.streamError };
        return;
      }
      for (const [index, call] of result.toolCalls.entries()) {
        const parts = chunks(call.function.arguments, size);
        yield {
          type: 'tool-call-delta',
          index,
          id: call.id,
          name: call.function.name,
          arguments: parts[0] ?? '',
        };
        for (const part of parts.slice(1)) yield { type: 'tool-call-delta', index, arguments: part };
      }
      yield { type: 'usage', usage: result.usage, ...(result.cost ? { cost: result.cost } : {}) };
      yield { type: 'finish', reason: result.finishReason };
    },
  };
}
