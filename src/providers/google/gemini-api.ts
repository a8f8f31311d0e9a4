/**
 * Wire shapes of the Gemini API (Generative Language API, v1beta), as far as Conduit reads or writes
 * them. Field names are Google's camelCase JSON; everything the server may omit is optional, because
 * it does omit them (a stream chunk may carry only `usageMetadata`, a blocked prompt no candidates).
 * Reference: https://ai.google.dev/api/generate-content and __fixtures__/README.md.
 */

export interface GeminiBlob {
  mimeType: string;
  /** Base64. */
  data: string;
}

export interface GeminiFunctionCall {
  name: string;
  args?: Record<string, unknown>;
  /** Only some surfaces (Live API, Vertex) send it. */
  id?: string;
}

export interface GeminiPart {
  text?: string;
  /** True for a thought summary (sent only when `thinkingConfig.includeThoughts` is on). */
  thought?: boolean;
  /** Opaque reasoning state that Gemini 3 wants echoed back with function calls. */
  thoughtSignature?: string;
  inlineData?: GeminiBlob;
  fileData?: { mimeType?: string; fileUri: string };
  functionCall?: GeminiFunctionCall;
  functionResponse?: { name: string; response: Record<string, unknown> };
}

export interface GeminiContent {
  role?: 'user' | 'model';
  parts?: GeminiPart[];
}

/** The OpenAPI 3.0 subset Gemini accepts for function parameters and `responseSchema`. */
export interface GeminiSchema {
  type?: 'STRING' | 'NUMBER' | 'INTEGER' | 'BOOLEAN' | 'ARRAY' | 'OBJECT' | 'NULL';
  format?: string;
  title?: string;
  description?: string;
  nullable?: boolean;
  enum?: string[];
  items?: GeminiSchema;
  properties?: Record<string, GeminiSchema>;
  required?: string[];
  propertyOrdering?: string[];
  anyOf?: GeminiSchema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minProperties?: number;
  maxProperties?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  default?: unknown;
  example?: unknown;
}

export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  parameters?: GeminiSchema;
}

export interface GeminiGenerationConfig {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  candidateCount?: number;
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  responseLogprobs?: boolean;
  logprobs?: number;
  responseMimeType?: string;
  responseSchema?: GeminiSchema;
  thinkingConfig?: { includeThoughts?: boolean; thinkingBudget?: number; thinkingLevel?: string };
  [extra: string]: unknown;
}

export interface GeminiRequest {
  contents: GeminiContent[];
  systemInstruction?: { parts: { text: string }[] };
  tools?: { functionDeclarations: GeminiFunctionDeclaration[] }[];
  toolConfig?: {
    functionCallingConfig: { mode: 'AUTO' | 'ANY' | 'NONE'; allowedFunctionNames?: string[] };
  };
  generationConfig?: GeminiGenerationConfig;
  [extra: string]: unknown;
}

export interface GeminiSafetyRating {
  category: string;
  probability: string;
  blocked?: boolean;
}

export interface GeminiLogprobCandidate {
  token?: string;
  tokenId?: number;
  logProbability?: number;
}

export interface GeminiCandidate {
  index?: number;
  content?: GeminiContent;
  finishReason?: string;
  finishMessage?: string;
  safetyRatings?: GeminiSafetyRating[];
  citationMetadata?: unknown;
  groundingMetadata?: unknown;
  avgLogprobs?: number;
  logprobsResult?: {
    topCandidates?: { candidates?: GeminiLogprobCandidate[] }[];
    chosenCandidates?: GeminiLogprobCandidate[];
  };
}

export interface GeminiUsageMetadata {
  promptTokenCount?: number;
  /** Tokens of tool results (e.g. code execution) fed back into the prompt; billed as input. */
  toolUsePromptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
  totalTokenCount?: number;
}

export interface GeminiPromptFeedback {
  blockReason?: string;
  blockReasonMessage?: string;
  safetyRatings?: GeminiSafetyRating[];
}

export interface GeminiErrorPayload {
  code?: number;
  message?: string;
  status?: string;
  details?: { '@type'?: string; retryDelay?: string; reason?: string; [key: string]: unknown }[];
}

export interface GeminiResponse {
  candidates?: GeminiCandidate[];
  promptFeedback?: GeminiPromptFeedback;
  usageMetadata?: GeminiUsageMetadata;
  modelVersion?: string;
  responseId?: string;
  /** Only inside a stream: an error reported after the 200 status line. */
  error?: GeminiErrorPayload;
}

export interface GeminiBatchEmbedResponse {
  embeddings?: { values?: number[] }[];
}

export interface GeminiModel {
  /** "models/gemini-2.5-flash". */
  name: string;
  baseModelId?: string;
  version?: string;
  displayName?: string;
  description?: string;
  inputTokenLimit?: number;
  outputTokenLimit?: number;
  supportedGenerationMethods?: string[];
}

export interface GeminiListModelsResponse {
  models?: GeminiModel[];
  nextPageToken?: string;
}
