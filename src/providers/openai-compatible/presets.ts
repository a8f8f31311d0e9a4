/**
 * OpenAI-compatible servers as declarative tables: where they live, how they authenticate, and the
 * parameter quirks that differ from OpenAI. Adding a provider is adding an entry here.
 */
import type { ChatParam, OpenAIQuirks } from '../openai/convert-to-openai-request.js';

export interface OpenAICompatiblePreset extends OpenAIQuirks {
  name: string;
  /** Default base URL (ending before `/chat/completions`); undefined means `base_url` is required. */
  baseURL?: string;
  /** Environment variables holding the API key, in order of preference. */
  apiKeyEnv: readonly string[];
  /** Environment variables overriding the base URL. */
  baseURLEnv?: readonly string[];
  /** Local servers run without a key; hosted ones refuse to start a call without one. */
  apiKeyRequired: boolean;
  /** How the key is sent. */
  auth: 'bearer' | 'api-key';
  headers?: Record<string, string>;
  /** Native `response_format: json_schema`. */
  jsonSchema: boolean;
  /** Whether GET /models lists the served models. */
  listModels: boolean;
  /** Azure-style routing: deployment in the path, api-version in the query. */
  azure?: { apiVersion: string; apiVersionEnv: readonly string[]; endpointEnv: readonly string[] };
}

const OPENAI_ONLY: readonly ChatParam[] = ['top_k'];

export const OPENAI_COMPATIBLE_PRESETS = {
  openai: {
    name: 'OpenAI',
    baseURL: 'https://api.openai.com/v1',
    apiKeyEnv: ['OPENAI_API_KEY'],
    baseURLEnv: ['OPENAI_BASE_URL'],
    apiKeyRequired: true,
    auth: 'bearer',
    maxTokensField: 'max_completion_tokens',
    streamUsage: true,
    unsupported: OPENAI_ONLY,
    jsonSchema: true,
    listModels: true,
  },
  'openai-compatible': {
    name: 'OpenAI-compatible server',
    apiKeyEnv: ['OPENAI_COMPATIBLE_API_KEY'],
    apiKeyRequired: false,
    auth: 'bearer',
    maxTokensField: 'max_tokens',
    streamUsage: true,
    jsonSchema: true,
    listModels: true,
  },
  azure: {
    name: 'Azure OpenAI',
    apiKeyEnv: ['AZURE_OPENAI_API_KEY', 'AZURE_API_KEY'],
    baseURLEnv: ['AZURE_OPENAI_ENDPOINT', 'AZURE_API_BASE'],
    apiKeyRequired: true,
    auth: 'api-key',
    maxTokensField: 'max_completion_tokens',
    streamUsage: true,
    unsupported: OPENAI_ONLY,
    jsonSchema: true,
    listModels: false,
    azure: {
      apiVersion: '2024-10-21',
      apiVersionEnv: ['OPENAI_API_VERSION', 'AZURE_API_VERSION'],
      endpointEnv: ['AZURE_OPENAI_ENDPOINT', 'AZURE_API_BASE'],
    },
  },
  vllm: {
    name: 'vLLM',
    baseURL: 'http://localhost:8000/v1',
    apiKeyEnv: ['VLLM_API_KEY'],
    baseURLEnv: ['VLLM_BASE_URL'],
    apiKeyRequired: false,
    auth: 'bearer',
    maxTokensField: 'max_tokens',
    streamUsage: true,
    jsonSchema: true,
    listModels: true,
  },
  tgi: {
    name: 'Hugging Face TGI',
    baseURL: 'http://localhost:8080/v1',
    apiKeyEnv: ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN'],
    baseURLEnv: ['TGI_BASE_URL'],
    apiKeyRequired: false,
    auth: 'bearer',
    maxTokensField: 'max_tokens',
    streamUsage: true,
    unsupported: ['parallel_tool_calls', 'logit_bias', 'metadata', 'user'],
    jsonSchema: true,
    listModels: true,
  },
  ollama: {
    name: 'Ollama',
    baseURL: 'http://localhost:11434/v1',
    apiKeyEnv: ['OLLAMA_API_KEY'],
    baseURLEnv: ['OLLAMA_BASE_URL'],
    apiKeyRequired: false,
    auth: 'bearer',
    maxTokensField: 'max_tokens',
    streamUsage: true,
    unsupported: ['logit_bias', 'parallel_tool_calls', 'metadata'],
    jsonSchema: true,
    listModels: true,
  },
  lmstudio: {
    name: 'LM Studio',
    baseURL: 'http://localhost:1234/v1',
    apiKeyEnv: ['LMSTUDIO_API_KEY'],
    baseURLEnv: ['LMSTUDIO_BASE_URL'],
    apiKeyRequired: false,
    auth: 'bearer',
    maxTokensField: 'max_tokens',
    streamUsage: true,
    unsupported: ['parallel_tool_calls', 'metadata'],
    jsonSchema: true,
    listModels: true,
  },
  llamacpp: {
    name: 'llama.cpp server',
    baseURL: 'http://localhost:8080/v1',
    apiKeyEnv: ['LLAMA_API_KEY'],
    baseURLEnv: ['LLAMACPP_BASE_URL'],
    apiKeyRequired: false,
    auth: 'bearer',
    maxTokensField: 'max_tokens',
    streamUsage: true,
    unsupported: ['parallel_tool_calls', 'metadata'],
    jsonSchema: true,
    listModels: true,
  },
  deepseek: {
    name: 'DeepSeek',
    baseURL: 'https://api.deepseek.com/v1',
    apiKeyEnv: ['DEEPSEEK_API_KEY'],
    baseURLEnv: ['DEEPSEEK_BASE_URL'],
    apiKeyRequired: true,
    auth: 'bearer',
    maxTokensField: 'max_tokens',
    streamUsage: true,
    unsupported: ['top_k', 'logit_bias', 'seed', 'n', 'parallel_tool_calls', 'metadata', 'user'],
    jsonSchema: false,
    listModels: true,
  },
  groq: {
    name: 'Groq',
    baseURL: 'https://api.groq.com/openai/v1',
    apiKeyEnv: ['GROQ_API_KEY'],
    baseURLEnv: ['GROQ_BASE_URL'],
    apiKeyRequired: true,
    auth: 'bearer',
    maxTokensField: 'max_completion_tokens',
    streamUsage: true,
    unsupported: ['top_k', 'logit_bias', 'logprobs', 'top_logprobs', 'metadata'],
    jsonSchema: true,
    listModels: true,
  },
  together: {
    name: 'Together AI',
    baseURL: 'https://api.together.xyz/v1',
    apiKeyEnv: ['TOGETHER_API_KEY', 'TOGETHER_AI_API_KEY'],
    baseURLEnv: ['TOGETHER_BASE_URL'],
    apiKeyRequired: true,
    auth: 'bearer',
    maxTokensField: 'max_tokens',
    streamUsage: true,
    unsupported: ['metadata', 'parallel_tool_calls'],
    jsonSchema: true,
    listModels: true,
  },
  openrouter: {
    name: 'OpenRouter',
    baseURL: 'https://openrouter.ai/api/v1',
    apiKeyEnv: ['OPENROUTER_API_KEY'],
    baseURLEnv: ['OPENROUTER_BASE_URL'],
    apiKeyRequired: true,
    auth: 'bearer',
    headers: { 'X-Title': 'Conduit' },
    maxTokensField: 'max_tokens',
    streamUsage: true,
    jsonSchema: true,
    listModels: true,
  },
  mistral: {
    name: 'Mistral AI',
    baseURL: 'https://api.mistral.ai/v1',
    apiKeyEnv: ['MISTRAL_API_KEY'],
    baseURLEnv: ['MISTRAL_BASE_URL'],
    apiKeyRequired: true,
    auth: 'bearer',
    maxTokensField: 'max_tokens',
    // Mistral sends usage in its last chunk unasked and rejects the stream_options field.
    streamUsage: false,
    unsupported: ['top_k', 'logit_bias', 'logprobs', 'top_logprobs', 'user', 'metadata'],
    rename: { seed: 'random_seed' },
    toolChoiceRequired: 'any',
    jsonSchema: true,
    listModels: true,
  },
  fireworks: {
    name: 'Fireworks AI',
    baseURL: 'https://api.fireworks.ai/inference/v1',
    apiKeyEnv: ['FIREWORKS_API_KEY', 'FIREWORKS_AI_API_KEY'],
    baseURLEnv: ['FIREWORKS_BASE_URL'],
    apiKeyRequired: true,
    auth: 'bearer',
    maxTokensField: 'max_tokens',
    streamUsage: true,
    unsupported: ['metadata', 'parallel_tool_calls', 'logit_bias'],
    jsonSchema: true,
    listModels: true,
  },
} as const satisfies Record<string, OpenAICompatiblePreset>;

export type OpenAICompatiblePresetId = keyof typeof OPENAI_COMPATIBLE_PRESETS;

export function isOpenAICompatiblePreset(id: string): id is OpenAICompatiblePresetId {
  return Object.hasOwn(OPENAI_COMPATIBLE_PRESETS, id);
}
