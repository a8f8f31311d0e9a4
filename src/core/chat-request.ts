/**
 * The request every LanguageModel accepts. Field names are OpenAI's (snake_case) on purpose: the
 * gateway validates an incoming body and passes it on without re-mapping.
 */
import type { ChatMessage } from './messages.js';

/** JSON Schema as a plain object. */
export type JsonSchema = Record<string, unknown>;

export interface FunctionTool {
  type: 'function';
  function: {
    name: string;
    description?: string;
    parameters?: JsonSchema;
    strict?: boolean;
  };
}

export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      json_schema: { name: string; description?: string; schema: JsonSchema; strict?: boolean };
    };

export interface ChatRequest {
  /** Model name as the client sent it; a concrete model ignores it, a router resolves it. */
  model?: string;
  messages: ChatMessage[];
  tools?: FunctionTool[];
  tool_choice?: ToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: ResponseFormat;
  temperature?: number;
  top_p?: number;
  /** Legacy name; `max_completion_tokens` wins when both are set. */
  max_tokens?: number;
  max_completion_tokens?: number;
  stop?: string | string[];
  seed?: number;
  n?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  logit_bias?: Record<string, number>;
  logprobs?: boolean;
  top_logprobs?: number;
  user?: string;
  metadata?: Record<string, string>;
  reasoning_effort?: 'minimal' | 'low' | 'medium' | 'high';
  /** Top-k sampling: not in OpenAI's API, honoured by providers and engines that have it. */
  top_k?: number;
  /**
   * Provider-specific fields merged into the upstream body as-is (e.g. `{ safe_prompt: true }` for
   * Mistral). Unknown fields of an incoming OpenAI body land here at the gateway.
   */
  extra_body?: Record<string, unknown>;
}

/** The effective output-token limit of a request. */
export function maxOutputTokens(request: ChatRequest): number | undefined {
  return request.max_completion_tokens ?? request.max_tokens;
}

/** The stop sequences of a request as a list. */
export function stopSequences(request: ChatRequest): string[] {
  if (request.stop === undefined) return [];
  return typeof request.stop === 'string' ? [request.stop] : request.stop;
}
