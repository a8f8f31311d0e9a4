/**
 * Tools a model can call: a description, a parameter schema (zod or plain JSON Schema) and an optional
 * `execute`. The record key is the tool's name, as in `{ weather: tool({...}) }`.
 */
import type { z } from 'zod';
import type { FunctionTool, JsonSchema } from '../chat-request.js';
import { ConduitError } from '../errors.js';
import type { ChatMessage } from '../messages.js';
import type { TraceContext } from '../trace-context.js';
import type { SchemaLike, ValidationResult } from './schema.js';
import { prepareSchema, toJsonSchema, validateValue } from './schema.js';
import { dropNullOptionals, toStrictJsonSchema } from './strict-json-schema.js';

export interface ToolExecutionContext {
  toolCallId: string;
  /** The conversation so far, ending with the assistant message that made the call. */
  messages: ChatMessage[];
  /** The caller's abort signal, so a long-running tool can stop with the request. */
  signal?: AbortSignal;
  /** The tool's `execute_tool` span, when the caller traces: pass it on so the tool's own calls nest. */
  trace?: TraceContext;
}

export interface Tool<TArgs = unknown, TResult = unknown> {
  description?: string;
  parameters: SchemaLike;
  /** Without it the tool loop stops at a call and returns it, for the caller to answer. */
  execute?: (args: TArgs, context: ToolExecutionContext) => TResult | PromiseLike<TResult>;
  /** Sends the parameters as an OpenAI strict function schema (see strict-json-schema.ts). */
  strict?: boolean;
}

/** Tools by name. `never` arguments let a record hold tools of any argument type. */
export type ToolSet = Record<string, Tool<never, unknown>>;

interface ToolDefinition<TParams, TArgs, TResult> {
  description?: string;
  parameters: TParams;
  execute?: (args: TArgs, context: ToolExecutionContext) => TResult | PromiseLike<TResult>;
  strict?: boolean;
}

/**
 * Defines a tool. With a zod schema, `execute` receives the parsed (typed) arguments; with a plain
 * JSON Schema it receives the validated JSON value. A broken JSON Schema throws here, not mid-call.
 *
 * @example
 * const weather = tool({
 *   description: 'Current weather for a city',
 *   parameters: z.object({ city: z.string() }),
 *   execute: async ({ city }) => ({ city, tempC: 21 }),
 * });
 * await generateText({ model, prompt: 'Weather in Oslo?', tools: { weather }, maxSteps: 3 });
 */
export function tool<S extends z.ZodType, R = unknown>(
  definition: ToolDefinition<S, z.output<S>, R>,
): Tool<z.output<S>, R>;
export function tool<A = unknown, R = unknown>(definition: ToolDefinition<JsonSchema, A, R>): Tool<A, R>;
// Re-wrapping an existing Tool (`tool({ ...other, strict: true })`), whose schema kind is no longer known.
export function tool<A = unknown, R = unknown>(definition: ToolDefinition<SchemaLike, A, R>): Tool<A, R>;
export function tool(definition: ToolDefinition<SchemaLike, unknown, unknown>): Tool {
  prepareSchema(definition.parameters);
  return { ...definition };
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** The `tools` field of a ChatRequest for a record of tools. */
export function toFunctionTools(tools: ToolSet): FunctionTool[] {
  return Object.entries(tools).map(([name, t]) => {
    // Providers reject other names with an opaque 400; say which tool is wrong instead.
    if (!TOOL_NAME.test(name)) {
      throw new ConduitError('bad_request', `Tool name "${name}" must match ${TOOL_NAME.source}`);
    }
    const parameters = toJsonSchema(t.parameters);
    const strict = t.strict ? toStrictJsonSchema(parameters) : undefined;
    const fn: FunctionTool['function'] = { name, parameters: strict?.schema ?? parameters };
    if (t.description) fn.description = t.description;
    if (strict) fn.strict = strict.strict;
    return { type: 'function', function: fn };
  });
}

/**
 * Parses and validates the JSON arguments of a tool call. Text that is not JSON is an issue like any
 * other, so the tool loop can send it back to the model. An empty string counts as `{}`, which is
 * what several models send for a tool without parameters.
 *
 * @example
 * const checked = validateToolArguments(weather, '{"city":"Oslo"}');
 * if (!checked.ok) console.log(checked.issues); // ['city: Invalid input: expected string, ...']
 */
export function validateToolArguments<TArgs>(
  definition: Pick<Tool<TArgs, unknown>, 'parameters'>,
  json: string,
): ValidationResult<TArgs> {
  let value: unknown;
  try {
    value = json.trim() === '' ? {} : JSON.parse(json);
  } catch (error) {
    return { ok: false, issues: [`arguments are not valid JSON: ${(error as Error).message}`] };
  }
  // Models (strict mode or not) often send `null` for an optional argument they mean to leave out.
  value = dropNullOptionals(toJsonSchema(definition.parameters), value);
  return validateValue<TArgs>(definition.parameters, value);
}
