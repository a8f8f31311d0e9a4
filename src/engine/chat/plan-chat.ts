/**
 * Everything decided about a chat request before it takes a sequence: the history in the model's
 * terms, tool mode, the grammar (structured output or a forced tool call), the prompt tokens (to
 * count them exactly, to check they fit, and to pick the sequence whose cache already holds their
 * prefix) and the output budget. Every refusal happens here, before the request waits in the queue.
 */
import type { ChatHistoryItem, ChatModelFunctions, ChatWrapper } from 'node-llama-cpp';
import type { ChatRequest } from '../../core/chat-request.js';
import { maxOutputTokens } from '../../core/chat-request.js';
import { ConduitError } from '../../core/errors.js';
import { jsonObjectGbnf, jsonSchemaToGbnf, UnsupportedSchemaError } from '../grammar/json-schema-to-gbnf.js';
import type { LoadedModel } from '../loaded-model.js';
import { renderPrompt, toChatHistory } from './convert-to-chat-history.js';
import { documentingWrapper, type ToolMode, toolModeFor } from './tool-mode.js';

export interface ChatPlan {
  history: ChatHistoryItem[];
  wrapper: ChatWrapper;
  tools: ToolMode;
  /** Functions for LlamaChat's native calling (auto mode only). */
  functions: ChatModelFunctions | undefined;
  /** GBNF constraining the whole answer, if any. */
  gbnf: string | undefined;
  promptTokens: number[];
  maxTokens: number;
}

export function planChat(request: ChatRequest, loaded: LoadedModel): ChatPlan {
  const tools = toolModeFor(request);
  const history = toChatHistory(request.messages);
  const format = request.response_format;
  let gbnf: string | undefined;
  if (tools.kind === 'forced') gbnf = tools.gbnf;
  else if (format && format.type !== 'text') {
    if (tools.kind === 'auto')
      throw new ConduitError(
        'unsupported',
        'response_format together with tools (tool_choice "auto") cannot both be enforced by a local model; drop one, or force a tool with tool_choice',
        { provider: 'local', param: 'response_format' },
      );
    gbnf = format.type === 'json_object' ? jsonObjectGbnf() : schemaGrammar(format.json_schema.schema);
  }
  const wrapper =
    tools.kind === 'forced' ? documentingWrapper(loaded.chatWrapper, tools.functions) : loaded.chatWrapper;
  const functions = tools.kind === 'auto' ? tools.functions : undefined;
  const promptTokens = renderPrompt(wrapper, history, functions, loaded.model.tokenizer);

  const room = loaded.contextSize - promptTokens.length - 1;
  if (room < 1)
    throw new ConduitError(
      'context_length_exceeded',
      `The prompt is ${promptTokens.length} tokens; this local model runs with ${loaded.contextSize} tokens per sequence (raise contextSize for it)`,
      { provider: 'local', param: 'messages' },
    );
  const requested = maxOutputTokens(request);
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 1))
    throw new ConduitError('bad_request', 'max_tokens must be a positive integer', {
      provider: 'local',
      param: 'max_tokens',
    });
  // Never past the sequence's context: the library would otherwise drop early messages to continue.
  return {
    history,
    wrapper,
    tools,
    functions,
    gbnf,
    promptTokens,
    maxTokens: Math.min(requested ?? room, room),
  };
}

function schemaGrammar(schema: unknown): string {
  try {
    return jsonSchemaToGbnf(schema as Record<string, unknown>);
  } catch (error) {
    if (error instanceof UnsupportedSchemaError)
      throw new ConduitError(
        'unsupported',
        `response_format.json_schema uses ${error.feature} at ${error.path}, which the local engine cannot enforce with a grammar; remove it or express it differently`,
        {
          provider: 'local',
          param: 'response_format',
          details: { feature: error.feature, path: error.path },
        },
      );
    throw error;
  }
}
