/**
 * The slice of OpenAI's Chat Completions / Embeddings wire format that Conduit reads. Types only:
 * response bodies are trusted to be JSON objects and read defensively (optional fields everywhere),
 * because OpenAI-compatible servers vary in what they omit.
 */

export interface OpenAIUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number | null; audio_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
  /** DeepSeek reports its prompt cache this way. */
  prompt_cache_hit_tokens?: number;
}

export interface OpenAIToolCall {
  index?: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export interface OpenAILogprobs {
  content?: {
    token: string;
    logprob: number;
    bytes?: number[] | null;
    top_logprobs?: { token: string; logprob: number; bytes?: number[] | null }[];
  }[];
}

export interface OpenAIChoice {
  index?: number;
  message?: {
    role?: string;
    content?: string | null;
    refusal?: string | null;
    tool_calls?: OpenAIToolCall[] | null;
    reasoning_content?: string | null;
    reasoning?: string | null;
  };
  delta?: OpenAIChoice['message'];
  finish_reason?: string | null;
  logprobs?: OpenAILogprobs | null;
}

export interface OpenAIChatCompletion {
  id?: string;
  object?: string;
  created?: number;
  model?: string;
  system_fingerprint?: string | null;
  choices?: OpenAIChoice[];
  usage?: OpenAIUsage | null;
  /** Groq puts stream usage here. */
  x_groq?: { usage?: OpenAIUsage };
  error?: OpenAIErrorBody['error'];
}

export interface OpenAIErrorBody {
  error?: { message?: string; type?: string; param?: string | null; code?: string | number | null } | string;
  message?: string;
}

export interface OpenAIEmbeddingResponse {
  data: { embedding: number[] | string; index: number }[];
  model?: string;
  usage?: { prompt_tokens?: number; total_tokens?: number };
}

export interface OpenAIModelList {
  data?: {
    id: string;
    created?: number;
    owned_by?: string;
    context_length?: number;
    max_model_len?: number;
  }[];
}
