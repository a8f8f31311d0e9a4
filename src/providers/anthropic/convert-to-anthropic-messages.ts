/**
 * OpenAI-shaped chat messages → Anthropic's top-level `system` plus a `messages` list that strictly
 * alternates user/assistant, which is the one structural rule OpenAI clients routinely break
 * (two user turns in a row, a tool result followed by a user question).
 */
import { ConduitError } from '../../core/errors.js';
import type { ContentPart, FilePart, TextPart, ToolCall } from '../../core/messages.js';
import { type ChatMessage, parseDataUrl } from '../../core/messages.js';
import type {
  AnthropicContentBlockParam,
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicMessageParam,
  AnthropicTextBlock,
  AnthropicToolUseBlock,
} from './anthropic-api.js';

export interface AnthropicPrompt {
  system: AnthropicTextBlock[];
  messages: AnthropicMessageParam[];
}

/** The image types the Messages API accepts; anything else is refused upstream with a vaguer error. */
const IMAGE_MEDIA_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

/**
 * @example
 * const { system, messages } = convertToAnthropicMessages(request.messages);
 */
export function convertToAnthropicMessages(messages: readonly ChatMessage[]): AnthropicPrompt {
  const system: AnthropicTextBlock[] = [];
  const out: AnthropicMessageParam[] = [];
  const append = (role: AnthropicMessageParam['role'], blocks: AnthropicContentBlockParam[]) => {
    if (blocks.length === 0) return;
    const last = out[out.length - 1];
    if (last?.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };

  messages.forEach((message, i) => {
    switch (message.role) {
      case 'system':
      case 'developer':
        // Anthropic has one system prompt; instructions given mid-conversation are hoisted, in order.
        system.push(...textBlocks(message.content));
        break;
      case 'user':
        append(
          'user',
          typeof message.content === 'string'
            ? textBlocks(message.content)
            : message.content.flatMap((part, j) => convertPart(part, `messages[${i}].content[${j}]`)),
        );
        break;
      case 'assistant':
        append('assistant', [
          ...textBlocks(message.content ?? ''),
          ...(message.tool_calls ?? []).map((call, j) => toolUse(call, `messages[${i}].tool_calls[${j}]`)),
        ]);
        break;
      case 'tool': {
        const content = typeof message.content === 'string' ? message.content : textBlocks(message.content);
        append('user', [
          {
            type: 'tool_result',
            tool_use_id: message.tool_call_id,
            ...(content.length > 0 ? { content } : {}),
          },
        ]);
        break;
      }
    }
  });

  for (const message of out) if (message.role === 'user') toolResultsFirst(message);
  trimFinalAssistant(out);
  if (out.length === 0) {
    throw new ConduitError('bad_request', 'Anthropic needs at least one user or assistant message', {
      provider: 'anthropic',
      param: 'messages',
    });
  }
  return { system, messages: out };
}

// The API rejects empty text blocks, so empty strings are dropped rather than forwarded.
function textBlocks(content: string | TextPart[]): AnthropicTextBlock[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return content.filter((part) => part.text !== '').map((part) => ({ type: 'text', text: part.text }));
}

function convertPart(part: ContentPart, param: string): AnthropicContentBlockParam[] {
  switch (part.type) {
    case 'text':
      return textBlocks([part]);
    case 'image_url':
      return [imageBlock(part.image_url.url, `${param}.image_url.url`)];
    case 'file':
      return [documentBlock(part.file, `${param}.file`)];
    case 'input_audio':
      throw unsupported('Anthropic models do not accept audio input', param);
  }
}

function imageBlock(url: string, param: string): AnthropicImageBlock {
  const inline = parseDataUrl(url);
  if (inline) {
    if (!IMAGE_MEDIA_TYPES.has(inline.mediaType)) {
      throw unsupported(`Anthropic accepts JPEG, PNG, GIF and WebP images, not ${inline.mediaType}`, param);
    }
    return { type: 'image', source: { type: 'base64', media_type: inline.mediaType, data: inline.data } };
  }
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  throw new ConduitError('bad_request', 'An image must be an https URL or a base64 data URL', {
    provider: 'anthropic',
    param,
  });
}

function documentBlock(file: FilePart['file'], param: string): AnthropicDocumentBlock {
  if (file.file_data === undefined) {
    // OpenAI file ids name files stored at OpenAI; Anthropic cannot read them.
    throw unsupported('Anthropic cannot read OpenAI file ids: send the file inline as file_data', param);
  }
  // OpenAI clients send a data URL; some send bare base64, which is a PDF unless the name says text.
  const inline = parseDataUrl(file.file_data) ?? {
    mediaType: /\.(txt|md)$/i.test(file.filename ?? '') ? 'text/plain' : 'application/pdf',
    data: file.file_data,
  };
  const title = file.filename ? { title: file.filename } : {};
  if (inline.mediaType === 'application/pdf') {
    return {
      type: 'document',
      source: { type: 'base64', media_type: 'application/pdf', data: inline.data },
      ...title,
    };
  }
  if (inline.mediaType === 'text/plain') {
    const text = Buffer.from(inline.data, 'base64').toString('utf8');
    return { type: 'document', source: { type: 'text', media_type: 'text/plain', data: text }, ...title };
  }
  throw unsupported(`Anthropic accepts PDF and plain-text documents, not ${inline.mediaType}`, param);
}

function toolUse(call: ToolCall, param: string): AnthropicToolUseBlock {
  let input: unknown;
  try {
    // OpenAI allows "" for a call without arguments; Anthropic needs an object.
    input = call.function.arguments.trim() === '' ? {} : JSON.parse(call.function.arguments);
  } catch (cause) {
    throw new ConduitError('bad_request', `${param}.function.arguments is not valid JSON`, {
      provider: 'anthropic',
      param: `${param}.function.arguments`,
      cause,
    });
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConduitError('bad_request', `${param}.function.arguments must be a JSON object`, {
      provider: 'anthropic',
      param: `${param}.function.arguments`,
    });
  }
  return { type: 'tool_use', id: call.id, name: call.function.name, input };
}

// Anthropic requires tool_result blocks to open a user turn; merging can put user text before them.
function toolResultsFirst(message: AnthropicMessageParam): void {
  const results = message.content.filter((block) => block.type === 'tool_result');
  if (results.length === 0 || results.length === message.content.length) return;
  message.content = [...results, ...message.content.filter((block) => block.type !== 'tool_result')];
}

// A final assistant turn is a prefill, and the API rejects a prefill that ends in whitespace.
function trimFinalAssistant(messages: AnthropicMessageParam[]): void {
  const last = messages[messages.length - 1];
  if (last?.role !== 'assistant') return;
  const block = last.content[last.content.length - 1];
  if (block?.type !== 'text') return;
  block.text = block.text.trimEnd();
  if (block.text === '') last.content.pop();
  if (last.content.length === 0) messages.pop();
}

function unsupported(message: string, param: string): ConduitError {
  return new ConduitError('unsupported', message, { provider: 'anthropic', param });
}
