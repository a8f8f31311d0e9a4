/**
 * ChatRequest (OpenAI-shaped) → a Gemini `generateContent` body. The two differ in shape more than in
 * meaning: system prompts move out to `systemInstruction`, tool results become `functionResponse`
 * parts in a user turn (named by function, not by call id), and sampling parameters move under
 * `generationConfig` with camelCase names.
 */
import type { ChatRequest, FunctionTool, ToolChoice } from '../../core/chat-request.js';
import { maxOutputTokens, stopSequences } from '../../core/chat-request.js';
import { ConduitError } from '../../core/errors.js';
import type { AssistantMessage, ContentPart, ToolMessage } from '../../core/messages.js';
import { contentText } from '../../core/messages.js';
import { convertToGeminiPart } from './convert-to-gemini-part.js';
import { convertToGeminiSchema } from './convert-to-gemini-schema.js';
import type {
  GeminiContent,
  GeminiFunctionDeclaration,
  GeminiGenerationConfig,
  GeminiPart,
  GeminiRequest,
} from './gemini-api.js';

export interface GeminiRequestOptions {
  /** The model called; some knobs (thinking, thought signatures) differ between Gemini generations. */
  modelId?: string;
}

/**
 * Gemini 3 rejects a replayed function call without the thought signature it was sent with, and an
 * OpenAI-shaped history has nowhere to keep one. Google documents this value for histories that
 * were not produced by the model (see __fixtures__/README.md); it skips the check.
 */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

/**
 * @example
 * const body = convertToGeminiRequest({ messages: [{ role: 'user', content: 'Hi' }] }, { modelId: 'gemini-2.5-flash' });
 */
export function convertToGeminiRequest(
  request: ChatRequest,
  options: GeminiRequestOptions = {},
): GeminiRequest {
  const system: { text: string }[] = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();
  const signCalls = needsThoughtSignatures(options.modelId);

  // Gemini wants alternating turns; consecutive same-role messages (parallel tool results, a tool
  // result followed by a user remark) become one turn.
  const push = (role: 'user' | 'model', parts: GeminiPart[]) => {
    if (parts.length === 0) return;
    const last = contents.at(-1);
    if (last?.role === role) last.parts!.push(...parts);
    else contents.push({ role, parts });
  };

  request.messages.forEach((message, i) => {
    switch (message.role) {
      case 'system':
      case 'developer': {
        // Gemini has one system instruction; a mid-conversation system message joins it.
        const text = contentText(message.content);
        if (text) system.push({ text });
        break;
      }
      case 'user':
        push('user', userParts(message.content, i));
        break;
      case 'assistant':
        push('model', assistantParts(message, i, toolNames, signCalls));
        break;
      case 'tool':
        push('user', [toolResultPart(message, i, toolNames)]);
        break;
    }
  });

  const body: GeminiRequest = { contents };
  if (system.length > 0) body.systemInstruction = { parts: system };
  if (request.tools && request.tools.length > 0) {
    body.tools = [{ functionDeclarations: request.tools.map(functionDeclaration) }];
  }
  if (request.tool_choice !== undefined)
    body.toolConfig = { functionCallingConfig: toolChoice(request.tool_choice) };
  const generationConfig = generationConfigOf(request, options.modelId);
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
  return mergeExtraBody(body, request.extra_body);
}

function functionDeclaration(tool: FunctionTool, index: number): GeminiFunctionDeclaration {
  const { name, description, parameters } = tool.function;
  const declaration: GeminiFunctionDeclaration = { name };
  if (description) declaration.description = description;
  // Gemini refuses an OBJECT without properties, which is how a no-argument tool is spelled.
  if (parameters && Object.keys((parameters.properties as object | undefined) ?? {}).length > 0) {
    declaration.parameters = convertToGeminiSchema(parameters, `tools[${index}].function.parameters`);
  }
  return declaration;
}

function userParts(content: string | ContentPart[], index: number): GeminiPart[] {
  if (typeof content === 'string') return content ? [{ text: content }] : [];
  return content.map((part, j) => convertToGeminiPart(part, `messages[${index}].content[${j}]`));
}

function assistantParts(
  message: AssistantMessage,
  index: number,
  toolNames: Map<string, string>,
  signCalls: boolean,
): GeminiPart[] {
  // reasoning_content is not replayed: Gemini cannot verify thought text without its signature.
  const parts: GeminiPart[] = [];
  const text = contentText(message.content);
  if (text) parts.push({ text });
  message.tool_calls?.forEach((call, j) => {
    const param = `messages[${index}].tool_calls[${j}].function.arguments`;
    let args: unknown;
    try {
      args = JSON.parse(call.function.arguments.trim() === '' ? '{}' : call.function.arguments);
    } catch (cause) {
      throw badRequest(`${param} of messages[${index}] is not valid JSON`, param, cause);
    }
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      throw badRequest(`${param} of messages[${index}] must be a JSON object`, param);
    }
    toolNames.set(call.id, call.function.name);
    const part: GeminiPart = {
      functionCall: { name: call.function.name, args: args as Record<string, unknown> },
    };
    const signature = (call.extra_content?.google as { thought_signature?: unknown } | undefined)
      ?.thought_signature;
    if (typeof signature === 'string') part.thoughtSignature = signature;
    // Without the real signature (a conversation from another provider), Gemini 3 accepts this marker.
    else if (signCalls && j === 0) part.thoughtSignature = SKIP_THOUGHT_SIGNATURE;
    parts.push(part);
  });
  return parts;
}

function toolResultPart(message: ToolMessage, index: number, toolNames: Map<string, string>): GeminiPart {
  const name = toolNames.get(message.tool_call_id);
  if (name === undefined) {
    throw badRequest(
      `messages[${index}] answers tool call "${message.tool_call_id}", which no earlier assistant message made`,
      `messages[${index}].tool_call_id`,
    );
  }
  const text = contentText(message.content);
  let response: Record<string, unknown> = { content: text };
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      response = parsed as Record<string, unknown>;
  } catch {
    // Plain text result: keep it under `content`.
  }
  return { functionResponse: { name, response } };
}

function toolChoice(choice: ToolChoice): NonNullable<GeminiRequest['toolConfig']>['functionCallingConfig'] {
  if (choice === 'auto') return { mode: 'AUTO' };
  if (choice === 'none') return { mode: 'NONE' };
  if (choice === 'required') return { mode: 'ANY' };
  return { mode: 'ANY', allowedFunctionNames: [choice.function.name] };
}

function generationConfigOf(request: ChatRequest, modelId: string | undefined): GeminiGenerationConfig {
  const config: GeminiGenerationConfig = {};
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.top_p !== undefined) config.topP = request.top_p;
  if (request.top_k !== undefined) config.topK = request.top_k;
  const maxTokens = maxOutputTokens(request);
  if (maxTokens !== undefined) config.maxOutputTokens = maxTokens;
  const stop = stopSequences(request);
  if (stop.length > 0) config.stopSequences = stop;
  if (request.n !== undefined) config.candidateCount = request.n;
  if (request.seed !== undefined) config.seed = request.seed;
  if (request.presence_penalty !== undefined) config.presencePenalty = request.presence_penalty;
  if (request.frequency_penalty !== undefined) config.frequencyPenalty = request.frequency_penalty;
  if (request.logprobs) config.responseLogprobs = true;
  if (request.logprobs && request.top_logprobs !== undefined) config.logprobs = request.top_logprobs;
  const format = request.response_format;
  if (format?.type === 'json_object') config.responseMimeType = 'application/json';
  if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    config.responseSchema = convertToGeminiSchema(
      format.json_schema.schema,
      'response_format.json_schema.schema',
    );
  }
  if (request.reasoning_effort) config.thinkingConfig = thinkingConfig(request.reasoning_effort, modelId);
  // logit_bias and parallel_tool_calls have no Gemini counterpart and are left out.
  return config;
}

/**
 * Gemini 3 takes a thinking level; 2.5 takes a token budget. The budgets are the ones Google's own
 * OpenAI-compatible endpoint uses for reasoning_effort; 2.5 Pro cannot turn thinking off (min 128).
 */
function thinkingConfig(effort: NonNullable<ChatRequest['reasoning_effort']>, modelId = '') {
  if (generation(modelId) >= 3) return { includeThoughts: true, thinkingLevel: effort.toUpperCase() };
  const budgets = { minimal: /-pro\b/.test(modelId) ? 128 : 0, low: 1024, medium: 8192, high: 24576 };
  return { includeThoughts: true, thinkingBudget: budgets[effort] };
}

function needsThoughtSignatures(modelId: string | undefined): boolean {
  return modelId !== undefined && generation(modelId) >= 3;
}

/** The major version in "gemini-2.5-flash" (2); aliases such as "gemini-flash-latest" count as current. */
function generation(modelId: string): number {
  const id = modelId.replace(/^models\//, '');
  if (!id.startsWith('gemini-')) return 0;
  const match = /^gemini-(\d+)/.exec(id);
  return match ? Number(match[1]) : Number.POSITIVE_INFINITY;
}

function mergeExtraBody(body: GeminiRequest, extra: Record<string, unknown> | undefined): GeminiRequest {
  if (!extra) return body;
  const { generationConfig, ...rest } = extra;
  const merged: GeminiRequest = { ...body, ...rest };
  if (generationConfig && typeof generationConfig === 'object') {
    merged.generationConfig = { ...body.generationConfig, ...(generationConfig as GeminiGenerationConfig) };
  }
  return merged;
}

function badRequest(message: string, param: string, cause?: unknown): ConduitError {
  return new ConduitError('bad_request', `google: ${message}`, { provider: 'google', param, cause });
}
