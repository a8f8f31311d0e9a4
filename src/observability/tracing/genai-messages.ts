/**
 * Chat messages in the OpenTelemetry GenAI content schema (`gen_ai.input.messages` and
 * `gen_ai.output.messages`: `{ role, parts: [{ type: 'text', content }, …] }`), so captured
 * prompts and completions read the same in any GenAI-aware trace viewer.
 *
 * Inline binary data (base64 images, audio, PDFs) is described but not copied: a span is no place
 * for megabytes of base64, and the console only needs to show that an image was sent.
 */
import type { ChatChoice, FinishReason } from '../../core/chat-event.js';
import type { ChatMessage, ContentPart, TextPart, ToolCall } from '../../core/messages.js';
import { parseDataUrl } from '../../core/messages.js';

export type GenAiPart = { type: string } & Record<string, unknown>;

export interface GenAiInputMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  parts: GenAiPart[];
  name?: string;
}

export interface GenAiOutputMessage {
  role: 'assistant';
  parts: GenAiPart[];
  finish_reason: string;
}

function textParts(content: string | readonly (ContentPart | TextPart)[] | null | undefined): GenAiPart[] {
  if (content == null || content === '') return [];
  if (typeof content === 'string') return [{ type: 'text', content }];
  return content.map(contentPart);
}

function contentPart(part: ContentPart): GenAiPart {
  switch (part.type) {
    case 'text':
      return { type: 'text', content: part.text };
    case 'image_url': {
      const inline = parseDataUrl(part.image_url.url);
      return inline
        ? { type: 'blob', modality: 'image', mime_type: inline.mediaType }
        : { type: 'uri', modality: 'image', uri: part.image_url.url };
    }
    case 'input_audio':
      return { type: 'blob', modality: 'audio', mime_type: `audio/${part.input_audio.format}` };
    case 'file': {
      if (part.file.file_id) return { type: 'file', modality: 'document', file_id: part.file.file_id };
      const inline = part.file.file_data ? parseDataUrl(part.file.file_data) : undefined;
      return { type: 'blob', modality: 'document', mime_type: inline?.mediaType ?? 'application/pdf' };
    }
  }
}

/** Tool arguments as an object when they are JSON (as the schema prefers), else the raw text. */
function toolCallPart(call: ToolCall): GenAiPart {
  let args: unknown = call.function.arguments;
  try {
    args = JSON.parse(call.function.arguments);
  } catch {
    // Partial or invalid JSON from the model: keep what it sent.
  }
  return { type: 'tool_call', id: call.id, name: call.function.name, arguments: args };
}

function named<T extends object>(message: T, name: string | undefined): T {
  return name === undefined ? message : { ...message, name };
}

/** A request's messages; `developer` is reported as `system`, the closest role the schema has. */
export function toInputMessages(messages: readonly ChatMessage[]): GenAiInputMessage[] {
  return messages.map(toInputMessage);
}

function toInputMessage(message: ChatMessage): GenAiInputMessage {
  switch (message.role) {
    case 'system':
    case 'developer':
      return named({ role: 'system', parts: textParts(message.content) }, message.name);
    case 'user':
      return named({ role: 'user', parts: textParts(message.content) }, message.name);
    case 'assistant': {
      const parts: GenAiPart[] = [];
      if (message.reasoning_content) parts.push({ type: 'reasoning', content: message.reasoning_content });
      parts.push(...textParts(message.content));
      for (const call of message.tool_calls ?? []) parts.push(toolCallPart(call));
      return named({ role: 'assistant', parts }, message.name);
    }
    case 'tool': {
      const response = typeof message.content === 'string' ? message.content : textOf(message.content);
      return { role: 'tool', parts: [{ type: 'tool_call_response', id: message.tool_call_id, response }] };
    }
  }
}

function textOf(parts: readonly TextPart[]): string {
  let out = '';
  for (const part of parts) out += part.text;
  return out;
}

/** The schema's finish reasons: ours are OpenAI's, which says `tool_calls` where it says `tool_call`. */
export function toGenAiFinishReason(reason: FinishReason): string {
  return reason === 'tool_calls' ? 'tool_call' : reason;
}

/** One output message per choice. */
export function toOutputMessages(
  choices: readonly Pick<ChatChoice, 'text' | 'toolCalls' | 'finishReason' | 'reasoning'>[],
): GenAiOutputMessage[] {
  return choices.map((choice) => {
    const parts: GenAiPart[] = [];
    if (choice.reasoning) parts.push({ type: 'reasoning', content: choice.reasoning });
    if (choice.text) parts.push({ type: 'text', content: choice.text });
    for (const call of choice.toolCalls) parts.push(toolCallPart(call));
    return { role: 'assistant', parts, finish_reason: toGenAiFinishReason(choice.finishReason) };
  });
}
