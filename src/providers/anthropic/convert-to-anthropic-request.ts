/**
 * ChatRequest (OpenAI Chat Completions shape) → Anthropic Messages API request body.
 *
 * OpenAI parameters Anthropic has no equivalent for are dropped without error, because OpenAI
 * clients send many of them by default: `logprobs`, `top_logprobs`, `logit_bias`,
 * `frequency_penalty`, `presence_penalty`, `seed`, `reasoning_effort`, `metadata` (OpenAI's
 * stored-completion tags) and tools' `strict`. Only `n > 1` is refused, since silently returning one
 * choice where several were asked for changes the result's shape.
 */
import type { ChatRequest, FunctionTool, JsonSchema } from '../../core/chat-request.js';
import { maxOutputTokens, stopSequences } from '../../core/chat-request.js';
import { ConduitError } from '../../core/errors.js';
import type { AnthropicRequestBody, AnthropicTool, AnthropicToolChoice } from './anthropic-api.js';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';
import { defaultMaxTokens } from './default-max-tokens.js';

/**
 * How a json_schema response format was emulated. Structured output is not assumed to exist on the
 * Anthropic side (older models, compatible servers), so the schema becomes the input schema of a
 * tool that the model is forced to call; the response mappers turn that tool call back into text.
 */
export interface JsonToolEmulation {
  toolName: string;
  /** The schema's root was not an object (tool inputs must be), so it was wrapped as `{ value }`. */
  wrapped: boolean;
}

export interface AnthropicRequestConversion {
  body: AnthropicRequestBody;
  json?: JsonToolEmulation;
}

const JSON_OBJECT_INSTRUCTION =
  'Respond with a single valid JSON object and nothing else: no prose before or after it, no Markdown code fences.';

/**
 * @example
 * const { body, json } = convertToAnthropicRequest(request, 'claude-sonnet-4-5', { stream: true });
 */
export function convertToAnthropicRequest(
  request: ChatRequest,
  modelId: string,
  options: { stream?: boolean } = {},
): AnthropicRequestConversion {
  if (request.n !== undefined && request.n > 1) {
    throw new ConduitError('unsupported', 'Anthropic returns one choice per request: n must be 1', {
      provider: 'anthropic',
      param: 'n',
    });
  }
  const { system, messages } = convertToAnthropicMessages(request.messages);
  const body: AnthropicRequestBody = {
    model: modelId,
    messages,
    max_tokens: maxOutputTokens(request) ?? defaultMaxTokens(modelId),
  };

  const tools = (request.tools ?? []).map(toAnthropicTool);
  let json: JsonToolEmulation | undefined;
  let toolChoice = mapToolChoice(request.tool_choice);
  const format = request.response_format;
  if (format?.type === 'json_object') {
    system.push({ type: 'text', text: JSON_OBJECT_INSTRUCTION });
  } else if (format?.type === 'json_schema') {
    const emulated = jsonSchemaTool(format.json_schema, tools);
    json = emulated.json;
    // Alone, the answer tool is forced. Beside the caller's tools, `any` lets the model either call
    // one of them or give its final answer through the answer tool, never plain prose.
    if (tools.length === 0 || toolChoice?.type === 'none') toolChoice = { type: 'tool', name: json.toolName };
    else if (toolChoice?.type !== 'tool') toolChoice = { type: 'any' };
    tools.push(emulated.tool);
  }
  if (tools.length > 0) {
    body.tools = tools;
    if (request.parallel_tool_calls === false) {
      toolChoice ??= { type: 'auto' };
      if (toolChoice.type !== 'none') toolChoice = { ...toolChoice, disable_parallel_tool_use: true };
    }
    // The API rejects tool_choice without tools, so it is only sent alongside them.
    if (toolChoice) body.tool_choice = toolChoice;
  }

  if (system.length > 0) body.system = system;
  // OpenAI's range is 0-2, Anthropic's 0-1: a hot request gets Anthropic's hottest, not an error.
  if (request.temperature !== undefined) body.temperature = Math.min(Math.max(request.temperature, 0), 1);
  if (request.top_p !== undefined) body.top_p = request.top_p;
  if (request.top_k !== undefined) body.top_k = request.top_k;
  const stop = stopSequences(request);
  if (stop.length > 0) body.stop_sequences = stop;
  if (request.user !== undefined) body.metadata = { user_id: request.user };
  if (options.stream) body.stream = true;
  if (request.extra_body) Object.assign(body, request.extra_body);
  return json ? { body, json } : { body };
}

function toAnthropicTool(tool: FunctionTool): AnthropicTool {
  const { name, description, parameters } = tool.function;
  return {
    name,
    ...(description !== undefined ? { description } : {}),
    input_schema: parameters ?? { type: 'object', properties: {} },
  };
}

function mapToolChoice(choice: ChatRequest['tool_choice']): AnthropicToolChoice | undefined {
  if (choice === undefined) return undefined;
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any' };
  return { type: 'tool', name: choice.function.name };
}

function jsonSchemaTool(
  format: { name: string; description?: string; schema: JsonSchema },
  tools: readonly AnthropicTool[],
): { tool: AnthropicTool; json: JsonToolEmulation } {
  // Tool names must match ^[a-zA-Z0-9_-]{1,64}$; schema names in the wild contain dots and spaces.
  const toolName = format.name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'json_response';
  if (tools.some((tool) => tool.name === toolName)) {
    throw new ConduitError(
      'bad_request',
      `response_format.json_schema.name "${format.name}" collides with a tool of the same name`,
      { provider: 'anthropic', param: 'response_format.json_schema.name' },
    );
  }
  const wrapped = format.schema.type !== 'object';
  const input_schema = wrapped
    ? {
        type: 'object',
        properties: { value: format.schema },
        required: ['value'],
        additionalProperties: false,
      }
    : format.schema;
  const description =
    format.description ?? 'Give the final answer by calling this tool with it as the input.';
  return { tool: { name: toolName, description, input_schema }, json: { toolName, wrapped } };
}
