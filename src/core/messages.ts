/**
 * Chat messages, shaped exactly like OpenAI Chat Completions messages (the ecosystem's lingua franca),
 * so a request body from any OpenAI client is already a valid Conduit request. See docs/decisions/001.
 */

export interface TextPart {
  type: 'text';
  text: string;
}

/** An image by URL (`https://…`) or inline as a data URL (`data:image/png;base64,…`). */
export interface ImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}

export interface AudioPart {
  type: 'input_audio';
  input_audio: { data: string; format: 'wav' | 'mp3' | (string & {}) };
}

/** A document (PDF) inline as base64, as OpenAI's `file` content part carries it. */
export interface FilePart {
  type: 'file';
  file: { file_data?: string; file_id?: string; filename?: string };
}

export type ContentPart = TextPart | ImagePart | AudioPart | FilePart;

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
  /**
   * Provider data that must travel back with the call in the next request, e.g. Gemini's
   * `{ google: { thought_signature } }` (the field Google's own OpenAI-compatible API uses).
   * Clients that echo assistant messages back unchanged keep it for free.
   */
  extra_content?: Record<string, unknown>;
}

export interface SystemMessage {
  role: 'system' | 'developer';
  content: string | TextPart[];
  name?: string;
}

export interface UserMessage {
  role: 'user';
  content: string | ContentPart[];
  name?: string;
}

export interface AssistantMessage {
  role: 'assistant';
  content?: string | TextPart[] | null;
  tool_calls?: ToolCall[];
  refusal?: string | null;
  name?: string;
  /** Reasoning text some providers return (DeepSeek `reasoning_content`, Anthropic thinking). */
  reasoning_content?: string;
}

export interface ToolMessage {
  role: 'tool';
  content: string | TextPart[];
  tool_call_id: string;
}

export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;
export type ChatRole = ChatMessage['role'];

/** Joins the text of a message's content, ignoring non-text parts. */
export function contentText(content: string | ContentPart[] | null | undefined): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  let out = '';
  for (const part of content) if (part.type === 'text') out += part.text;
  return out;
}

export interface ParsedDataUrl {
  mediaType: string;
  data: string;
}

/** Splits `data:<type>;base64,<data>`; returns undefined for anything else (a remote URL). */
export function parseDataUrl(url: string): ParsedDataUrl | undefined {
  const match = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (!match) return undefined;
  return { mediaType: match[1] ?? 'application/octet-stream', data: match[2] ?? '' };
}
