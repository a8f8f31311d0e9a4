/**
 * Text generation with a tool loop: call the model, run the tools it asks for, feed the results back,
 * repeat until it answers without tool calls or `maxSteps` model calls have been made. Every step's
 * model call and every tool execution hang from the same parent, `callOptions.trace`.
 */
import type { ChatResult, Cost, FinishReason, Usage } from '../chat-event.js';
import type { ChatRequest, ToolChoice } from '../chat-request.js';
import { ConduitError } from '../errors.js';
import type { AssistantMessage, ChatMessage, ToolCall } from '../messages.js';
import type { ToolResult } from './execute-tool-calls.js';
import { executeToolCalls } from './execute-tool-calls.js';
import type { GenerateBaseOptions } from './prompt-input.js';
import { buildMessages, samplingFields } from './prompt-input.js';
import type { ToolSet } from './tool-definition.js';
import { toFunctionTools } from './tool-definition.js';
import { createUsageTotals } from './usage-totals.js';

export interface StepResult {
  /** 0 for the first model call. */
  stepNumber: number;
  text: string;
  reasoning?: string;
  toolCalls: ToolCall[];
  toolResults: ToolResult[];
  finishReason: FinishReason;
  usage: Usage;
  cost?: Cost;
  /** The model's whole result for this step. */
  response: ChatResult;
}

export interface GenerateTextResult {
  /** Text of the last step. */
  text: string;
  reasoning?: string;
  /** Tool calls of the last step. Calls without an entry in `toolResults` are yours to answer. */
  toolCalls: ToolCall[];
  toolResults: ToolResult[];
  steps: StepResult[];
  /** The whole conversation: the input messages plus every assistant and tool message of the loop. */
  messages: ChatMessage[];
  /** Summed over steps. */
  usage: Usage;
  /** Summed over steps; undefined if any step had no price. */
  cost?: Cost;
  finishReason: FinishReason;
}

export type GenerateTextOptions = GenerateBaseOptions & {
  tools?: ToolSet;
  toolChoice?: ToolChoice;
  /** Most model calls to make; tool results are only sent back while steps remain. Default 1. */
  maxSteps?: number;
  onStepFinish?: (step: StepResult) => void | Promise<void>;
};

/** How one step's ChatResult is obtained: `generate` for generateText, a consumed stream for streamText. */
export type CallModel = (request: ChatRequest) => Promise<ChatResult>;

/** The loop behind generateText and streamText. */
export async function runToolLoop(
  options: GenerateTextOptions,
  callModel: CallModel,
): Promise<GenerateTextResult> {
  const { tools, toolChoice, onStepFinish, callOptions } = options;
  const maxSteps = options.maxSteps ?? 1;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) {
    throw new ConduitError('bad_request', `maxSteps must be a positive integer, got ${maxSteps}`);
  }
  const messages = buildMessages(options);
  const functionTools = tools && Object.keys(tools).length > 0 ? toFunctionTools(tools) : undefined;
  const base: Omit<ChatRequest, 'messages'> = {
    ...samplingFields(options),
    ...(functionTools ? { tools: functionTools } : {}),
    ...(functionTools && toolChoice ? { tool_choice: toolChoice } : {}),
  };
  const totals = createUsageTotals();
  const steps: StepResult[] = [];
  const signal = callOptions?.signal;

  for (let stepNumber = 0; ; stepNumber++) {
    if (signal?.aborted)
      throw new ConduitError('cancelled', 'The request was cancelled', { cause: signal.reason });
    const response = await callModel({ ...base, messages: [...messages] });
    totals.add(response.usage, response.cost);
    const { text, toolCalls } = response;
    const assistant: AssistantMessage = {
      role: 'assistant',
      content: text === '' && toolCalls.length > 0 ? null : text,
    };
    if (toolCalls.length > 0) assistant.tool_calls = toolCalls;
    messages.push(assistant);

    // Without tools in the request the calls cannot be answered here: hand them back to the caller.
    const executed =
      toolCalls.length > 0 && functionTools && tools
        ? await executeToolCalls({
            tools,
            calls: toolCalls,
            messages: [...messages],
            signal,
            trace: callOptions?.trace,
          })
        : undefined;
    if (executed) messages.push(...executed.messages);

    const step: StepResult = {
      stepNumber,
      text,
      toolCalls,
      toolResults: executed?.results ?? [],
      finishReason: response.finishReason,
      usage: response.usage,
      response,
    };
    if (response.reasoning) step.reasoning = response.reasoning;
    if (response.cost) step.cost = response.cost;
    steps.push(step);
    await onStepFinish?.(step);

    const answered = executed !== undefined && executed.pending.length === 0;
    if (toolCalls.length === 0 || !answered || stepNumber + 1 >= maxSteps) {
      const result: GenerateTextResult = {
        text,
        toolCalls,
        toolResults: step.toolResults,
        steps,
        messages,
        usage: totals.usage,
        finishReason: response.finishReason,
      };
      if (step.reasoning) result.reasoning = step.reasoning;
      if (totals.cost) result.cost = totals.cost;
      return result;
    }
  }
}

/**
 * Generates text, running tools in a loop when `tools` and `maxSteps > 1` are given. Parallel tool
 * calls run concurrently; invalid arguments and thrown errors go back to the model as tool results.
 * A tool without `execute` ends the loop and its calls are returned.
 *
 * @example
 * const { text, steps } = await generateText({
 *   model,
 *   system: 'You are terse.',
 *   prompt: 'What is the weather in Oslo?',
 *   tools: { weather },
 *   maxSteps: 3,
 * });
 */
export function generateText(options: GenerateTextOptions): Promise<GenerateTextResult> {
  return runToolLoop(options, (request) => options.model.generate(request, options.callOptions));
}
