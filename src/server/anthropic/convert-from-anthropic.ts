/**
 * An Anthropic Messages request (what `@anthropic-ai/sdk` sends to /v1/messages) → our ChatRequest,
 * so any backend can answer Anthropic clients. The reverse of providers/anthropic's conversion.
 */
import { z } from 'zod';
import type { ChatRequest, FunctionTool, ToolChoice } from '../../core/chat-request.js';
import { ConduitError } from '../../core/errors.js';
import type { ChatMessage, ContentPart, ToolCall } from '../../core/messages.js';
import { validationError } from '../chat-request-schema.js';

const block = z.looseObject({ type: z.string() });
const anthropicRequestSchema = z.looseObject({
  model: z.string().min(1, 'is required'),
  max_tokens: z.number().int().positive(),
  messages: z
    .array(
      z.looseObject({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(block)]) }),
    )
    .min(1, 'must contain at least one message'),
  system: z
    .union([z.string(), z.array(z.looseObject({ type: z.literal('text'), text: z.string() }))])
    .optional(),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  stream: z.boolean().optional(),
  tools: z
    .array(
      z.looseObject({
        name: z.string().min(1),
        description: z.string().optional(),
        input_schema: z.record(z.string(), z.unknown()),
      }),
    )
    .optional(),
  tool_choice: z
    .looseObject({
      type: z.enum(['auto', 'any', 'tool', 'none']),
      name: z.string().optional(),
      disable_parallel_tool_use: z.boolean().optional(),
    })
    .optional(),
  metadata: z.looseObject({ user_id: z.string().nullable().optional() }).optional(),
});

type AnthropicBlock = Record<string, unknown> & { type: string };

function imagePart(source: Record<string, unknown>, path: string): ContentPart {
  if (source.type === 'base64') {
    return {
      type: 'image_url',
      image_url: { url: `data:${String(source.media_type)};base64,${String(source.data)}` },
    };
  }
  if (source.type === 'url') return { type: 'image_url', image_url: { url: String(source.url) } };
  throw new ConduitError('unsupported', `Image source type "${String(source.type)}" is not supported`, {
    param: `${path}.source.type`,
  });
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return (content as AnthropicBlock[])
      .filter((b) => b.type === 'text')
      .map((b) => String(b.text))
      .join('');
  }
  return '';
}

function convertMessage(
  message: { role: 'user' | 'assistant'; content: string | AnthropicBlock[] },
  index: number,
): ChatMessage[] {
  if (typeof message.content === 'string') return [{ role: message.role, content: message.content }];
  const path = `messages[${index}].content`;
  if (message.role === 'assistant') {
    let text = '';
    const toolCalls: ToolCall[] = [];
    for (const b of message.content) {
      if (b.type === 'text') text += String(b.text);
      else if (b.type === 'tool_use') {
        toolCalls.push({
          id: String(b.id),
          type: 'function',
          function: { name: String(b.name), arguments: JSON.stringify(b.input ?? {}) },
        });
      }
      // thinking and redacted_thinking blocks carry no answer text; other backends cannot use them.
    }
    return [
      {
        role: 'assistant',
        content: text || (toolCalls.length ? null : ''),
        ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
      },
    ];
  }
  const out: ChatMessage[] = [];
  const parts: ContentPart[] = [];
  message.content.forEach((b, i) => {
    if (b.type === 'tool_result') {
      const body = textOf(b.content);
      out.push({
        role: 'tool',
        tool_call_id: String(b.tool_use_id),
        content: b.is_error ? `Error: ${body}` : body,
      });
    } else if (b.type === 'text') parts.push({ type: 'text', text: String(b.text) });
    else if (b.type === 'image')
      parts.push(imagePart((b.source ?? {}) as Record<string, unknown>, `${path}[${i}]`));
    else if (b.type === 'document') {
      const source = (b.source ?? {}) as Record<string, unknown>;
      if (source.type === 'base64')
        parts.push({
          type: 'file',
          file: { file_data: `data:${String(source.media_type)};base64,${String(source.data)}` },
        });
      else if (source.type === 'text') parts.push({ type: 'text', text: String(source.data) });
      else
        throw new ConduitError(
          'unsupported',
          `Document source type "${String(source.type)}" is not supported`,
          { param: `${path}[${i}]` },
        );
    } else {
      throw new ConduitError('unsupported', `Content block type "${b.type}" is not supported`, {
        param: `${path}[${i}].type`,
      });
    }
  });
  if (parts.length > 0)
    out.push({
      role: 'user',
      content: parts.length === 1 && parts[0]!.type === 'text' ? parts[0]!.text : parts,
    });
  return out;
}

export function convertFromAnthropicRequest(body: unknown): { request: ChatRequest; stream: boolean } {
  const parsed = anthropicRequestSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  const b = parsed.data;
  const messages: ChatMessage[] = [];
  if (b.system !== undefined) {
    const system = typeof b.system === 'string' ? b.system : b.system.map((s) => s.text).join('\n');
    if (system) messages.push({ role: 'system', content: system });
  }
  b.messages.forEach((m, i) => {
    messages.push(
      ...convertMessage(m as { role: 'user' | 'assistant'; content: string | AnthropicBlock[] }, i),
    );
  });
  const request: ChatRequest = { model: b.model, messages, max_tokens: b.max_tokens };
  if (b.stop_sequences?.length) request.stop = b.stop_sequences;
  if (b.temperature !== undefined) request.temperature = b.temperature;
  if (b.top_p !== undefined) request.top_p = b.top_p;
  if (b.top_k !== undefined) request.top_k = b.top_k;
  if (b.metadata?.user_id) request.user = b.metadata.user_id;
  if (b.tools?.length) {
    request.tools = b.tools.map(
      (t): FunctionTool => ({
        type: 'function',
        function: { name: t.name, description: t.description, parameters: t.input_schema },
      }),
    );
  }
  if (b.tool_choice) {
    const choice: ToolChoice =
      b.tool_choice.type === 'any'
        ? 'required'
        : b.tool_choice.type === 'tool'
          ? { type: 'function', function: { name: b.tool_choice.name ?? '' } }
          : b.tool_choice.type;
    request.tool_choice = choice;
    if (b.tool_choice.disable_parallel_tool_use) request.parallel_tool_calls = false;
  }
  return { request, stream: b.stream === true };
}
