/**
 * How a request's tools reach the model.
 *
 * - `auto` (OpenAI's default): node-llama-cpp's native function calling. The chat template documents
 *   the tools in the model's own format, and when the model starts a call in its own syntax (Hermes
 *   `<tool_call>`, Llama 3.1, Functionary, ...) the library switches to a grammar for the name and
 *   arguments. Whether a call happens is the model's choice.
 * - `forced` (`required`, or a named function): the template still documents the tools, but the
 *   whole answer is constrained by our own grammar to `{"name": …, "arguments": …}` — the JSON that
 *   Hermes-style templates put inside their call tags — over the allowed tools, with the arguments
 *   enforced by the full JSON-Schema converter. One call per answer.
 * - `none`: tools are left out of the prompt.
 */
import type { ChatModelFunctions } from 'node-llama-cpp';
import type { ChatRequest, FunctionTool, JsonSchema } from '../../core/chat-request.js';
import { ConduitError } from '../../core/errors.js';
import type { ToolCall } from '../../core/messages.js';
import { jsonSchemaToGbnf, UnsupportedSchemaError } from '../grammar/json-schema-to-gbnf.js';
import { toLibrarySchema } from './library-schema.js';

export type ToolMode =
  | { kind: 'none' }
  | { kind: 'auto'; functions: ChatModelFunctions }
  | { kind: 'forced'; functions: ChatModelFunctions; gbnf: string };

export function toolModeFor(request: ChatRequest): ToolMode {
  const tools = request.tools ?? [];
  const choice = request.tool_choice ?? 'auto';
  if (tools.length === 0 || choice === 'none') {
    if (typeof choice === 'object' || choice === 'required')
      throw new ConduitError('bad_request', 'tool_choice requires a tool but the request has no tools', {
        provider: 'local',
        param: 'tool_choice',
      });
    return { kind: 'none' };
  }
  if (choice === 'auto') return { kind: 'auto', functions: nativeFunctions(tools) };
  let allowed = tools;
  if (typeof choice === 'object') {
    allowed = tools.filter((t) => t.function.name === choice.function.name);
    if (allowed.length === 0)
      throw new ConduitError(
        'bad_request',
        `tool_choice names "${choice.function.name}", which is not in tools`,
        {
          provider: 'local',
          param: 'tool_choice',
        },
      );
  }
  return { kind: 'forced', functions: nativeFunctions(tools, false), gbnf: forcedCallGrammar(allowed) };
}

function nativeFunctions(tools: FunctionTool[], enforce = true): ChatModelFunctions {
  const out: Record<string, ChatModelFunctions[string]> = {};
  for (const [i, tool] of tools.entries()) {
    const { name, description, parameters, strict } = tool.function;
    try {
      out[name] = {
        ...(description ? { description } : {}),
        ...(parameters ? { params: toLibrarySchema(parameters, enforce && strict === true) } : {}),
      };
    } catch (error) {
      if (error instanceof UnsupportedSchemaError)
        throw new ConduitError(
          'unsupported',
          `tools[${i}] (${name}) is strict but its parameter schema uses ${error.feature} at ${error.path}, which native function calling cannot enforce; use tool_choice "required" or name the tool, where Conduit's own grammar enforces it`,
          {
            provider: 'local',
            param: `tools[${i}].function.parameters`,
            details: { feature: error.feature, path: error.path },
          },
        );
      throw error;
    }
  }
  return out;
}

/** `{"name": "<tool>", "arguments": {…}}` over the allowed tools, arguments per their schemas. */
function forcedCallGrammar(tools: FunctionTool[]): string {
  const defs: Record<string, unknown> = {};
  const branches = tools.map((tool) => {
    const parameters = (tool.function.parameters ?? { type: 'object' }) as JsonSchema;
    for (const key of ['$defs', 'definitions'] as const) {
      for (const [name, def] of Object.entries((parameters[key] ?? {}) as Record<string, unknown>)) {
        if (name in defs && JSON.stringify(defs[name]) !== JSON.stringify(def))
          throw new ConduitError(
            'unsupported',
            `Two tools define "${name}" in ${key} differently; forced tool calls need distinct names`,
            {
              provider: 'local',
              param: 'tools',
            },
          );
        defs[name] = def;
      }
    }
    return {
      type: 'object',
      properties: { name: { const: tool.function.name }, arguments: parameters },
      required: ['name', 'arguments'],
      additionalProperties: false,
    };
  });
  // Tools' own `#/$defs/X` references resolve against the combined root.
  const root = {
    ...(branches.length === 1 ? branches[0] : { anyOf: branches }),
    $defs: defs,
    definitions: defs,
  };
  try {
    return jsonSchemaToGbnf(root);
  } catch (error) {
    if (error instanceof UnsupportedSchemaError)
      throw new ConduitError(
        'unsupported',
        `A tool's parameter schema uses ${error.feature} (${error.path}), which the local engine cannot enforce`,
        {
          provider: 'local',
          param: 'tools',
          details: { feature: error.feature, path: error.path },
        },
      );
    throw error;
  }
}

/** The forced answer as an OpenAI tool call. */
export function parseForcedCall(text: string, id: string): ToolCall {
  const parsed = JSON.parse(text) as { name: string; arguments: unknown };
  return {
    id,
    type: 'function',
    function: { name: parsed.name, arguments: JSON.stringify(parsed.arguments) },
  };
}

/**
 * The model's chat wrapper, made to document `functions` in every prompt it renders. Forced calls
 * run with a grammar, and LlamaChat accepts a grammar or functions, not both; this keeps the tools
 * in the prompt, in the model's own format, while our grammar shapes the answer.
 */
export function documentingWrapper<W extends { generateContextState: (options: never) => unknown }>(
  wrapper: W,
  functions: ChatModelFunctions,
): W {
  const proxy = Object.create(wrapper) as W;
  const original = wrapper.generateContextState.bind(wrapper) as (
    options: Record<string, unknown>,
  ) => unknown;
  (proxy as { generateContextState: unknown }).generateContextState = (options: Record<string, unknown>) =>
    original({
      ...options,
      availableFunctions: options.availableFunctions ?? functions,
      documentFunctionParams: true,
    });
  return proxy;
}
