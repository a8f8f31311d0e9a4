/**
 * Runs one step's tool calls: validates each call's arguments, executes the valid ones concurrently,
 * and turns every outcome into a `tool` message. Failures become text for the model (it can correct
 * its arguments or route around a failing tool); they never reject, so one bad call cannot sink the
 * others or the conversation.
 *
 * Each execution is an `execute_tool <name>` span (OpenTelemetry GenAI conventions) under `trace`;
 * arguments and results are user data, recorded only when the recorder captures content.
 */
import type { ChatMessage, ToolCall, ToolMessage } from '../messages.js';
import { type ActiveSpan, startSpan, type TraceContext } from '../trace-context.js';
import type { ToolExecutionContext, ToolSet } from './tool-definition.js';
import { validateToolArguments } from './tool-definition.js';

export interface ToolResult {
  toolCallId: string;
  toolName: string;
  /** The validated arguments; the raw argument text when they did not validate. */
  args: unknown;
  /** What `execute` returned, or the error text that was sent to the model. */
  result: unknown;
  /** Set when the model was told about a problem instead of getting a result. */
  error?: 'invalid-arguments' | 'unknown-tool' | 'execution-failed';
  /** What `execute` threw, for `execution-failed`. */
  cause?: unknown;
}

export interface ExecutedToolCalls {
  results: ToolResult[];
  /** One per result, in call order, ready to append after the assistant message. */
  messages: ToolMessage[];
  /** Valid calls to tools without `execute`: the caller answers them. */
  pending: ToolCall[];
}

export interface ExecuteToolCallsOptions {
  tools: ToolSet;
  calls: ToolCall[];
  /** The conversation including the assistant message that made the calls. */
  messages: ChatMessage[];
  signal?: AbortSignal;
  /** Parent of the `execute_tool` spans (the caller's `callOptions.trace`). */
  trace?: TraceContext;
}

/** Text of a tool message: strings as-is, anything else as JSON. */
export function toolResultContent(result: unknown): string {
  if (typeof result === 'string') return result;
  try {
    return JSON.stringify(result ?? null) ?? 'null';
  } catch {
    return String(result); // circular or BigInt: still tell the model something
  }
}

/** The span of one tool execution; its name holds the tool's name and nothing from the request. */
function startToolSpan(
  trace: TraceContext | undefined,
  call: { toolCallId: string; toolName: string; description?: string | undefined; args: unknown },
): ActiveSpan {
  const span = startSpan(trace, `execute_tool ${call.toolName}`, {
    kind: 'internal',
    attributes: {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': call.toolName,
      'gen_ai.tool.call.id': call.toolCallId,
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.description': call.description,
    },
  });
  if (trace?.recorder?.captureContent)
    span.setAttribute('gen_ai.tool.call.arguments', toolResultContent(call.args));
  return span;
}

export async function executeToolCalls(options: ExecuteToolCallsOptions): Promise<ExecutedToolCalls> {
  const { tools, calls, messages, signal, trace } = options;
  const pending: ToolCall[] = [];

  const run = async (call: ToolCall): Promise<ToolResult | undefined> => {
    const toolCallId = call.id;
    const toolName = call.function.name;
    const definition = Object.hasOwn(tools, toolName) ? tools[toolName] : undefined;
    if (!definition) {
      const available = Object.keys(tools).join(', ') || 'none';
      const result = `Unknown tool "${toolName}". Available tools: ${available}.`;
      return { toolCallId, toolName, args: call.function.arguments, result, error: 'unknown-tool' };
    }
    const checked = validateToolArguments(definition, call.function.arguments);
    if (!checked.ok) {
      const list = checked.issues.map((issue) => `- ${issue}`).join('\n');
      const result = `Invalid arguments for tool "${toolName}":\n${list}\nCall the tool again with corrected arguments.`;
      return { toolCallId, toolName, args: call.function.arguments, result, error: 'invalid-arguments' };
    }
    if (!definition.execute) {
      pending.push(call);
      return undefined;
    }
    const execute = definition.execute as (args: unknown, context: ToolExecutionContext) => unknown;
    const span = startToolSpan(trace, {
      toolCallId,
      toolName,
      description: definition.description,
      args: checked.value,
    });
    const context: ToolExecutionContext = {
      toolCallId,
      messages,
      ...(signal ? { signal } : {}),
      ...(trace ? { trace: span.context } : {}),
    };
    try {
      const result = await execute(checked.value, context);
      if (trace?.recorder?.captureContent)
        span.setAttribute('gen_ai.tool.call.result', toolResultContent(result));
      return { toolCallId, toolName, args: checked.value, result };
    } catch (cause) {
      span.recordError(cause);
      const message = cause instanceof Error ? cause.message : String(cause);
      const result = `Error: tool "${toolName}" failed: ${message}`;
      return { toolCallId, toolName, args: checked.value, result, error: 'execution-failed', cause };
    } finally {
      span.end();
    }
  };

  // Validation runs synchronously inside `run` before its first await, so `pending` keeps call order.
  const settled = await Promise.all(calls.map(run));
  const results = settled.filter((r): r is ToolResult => r !== undefined);
  const toolMessages: ToolMessage[] = results.map((r) => ({
    role: 'tool',
    tool_call_id: r.toolCallId,
    content: toolResultContent(r.result),
  }));
  return { results, messages: toolMessages, pending };
}
