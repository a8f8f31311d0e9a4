/**
 * Prompt tokens of a chat request, following OpenAI's published accounting ("How to count tokens with
 * tiktoken", openai-cookbook): every message costs 3 tokens of framing plus its encoded values, a name
 * 1 more, and every reply is primed with 3. Tool definitions use the cookbook's per-function constants;
 * they and tool calls are approximate, so a count that includes them is reported as not exact.
 *
 * @example
 * countMessageTokens([{ role: 'user', content: 'hello world' }], { model: 'gpt-4o' }).tokens; // 3 + 1 + 2 + 3 = 9
 */
import type { FunctionTool, JsonSchema } from '../chat-request.js';
import type { ChatMessage, ContentPart, TextPart } from '../messages.js';
import {
  type CountTokensOptions,
  resolveTokenizer,
  type TokenCount,
  tokenizerLabel,
} from './count-tokens.js';
import type { Tokenizer } from './tokenizer.js';

const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_NAME = 1;
const REPLY_PRIMING = 3;
/** Framing of one tool call inside an assistant message (not published; close to observed counts). */
const TOKENS_PER_TOOL_CALL = 3;
/**
 * OpenAI bills a low-detail image 85 tokens and a high-detail one 85 + 170 per 512px tile. Without
 * decoding the image we assume 1024×1024 at high detail (4 tiles).
 */
const IMAGE_LOW_DETAIL = 85;
const IMAGE_DEFAULT = 765;

export interface CountMessageTokensOptions extends CountTokensOptions {
  /** Tool definitions sent with the request; they count toward the prompt. */
  tools?: FunctionTool[];
}

interface PartCount {
  tokens: number;
  exact: boolean;
}

function contentTokens(content: string | ContentPart[] | TextPart[], tokenizer: Tokenizer): PartCount {
  if (typeof content === 'string') return { tokens: tokenizer.count(content), exact: true };
  let text = '';
  let tokens = 0;
  let exact = true;
  for (const part of content) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'image_url') {
      tokens += part.image_url.detail === 'low' ? IMAGE_LOW_DETAIL : IMAGE_DEFAULT;
      exact = false;
    } else exact = false; // audio and files are billed by duration/pages we cannot see here
  }
  return { tokens: tokens + tokenizer.count(text), exact };
}

function messageTokens(message: ChatMessage, tokenizer: Tokenizer): PartCount {
  let tokens = TOKENS_PER_MESSAGE + tokenizer.count(message.role);
  let exact = true;
  if (message.content != null) {
    const c = contentTokens(message.content, tokenizer);
    tokens += c.tokens;
    exact &&= c.exact;
  }
  if ('name' in message && message.name) tokens += tokenizer.count(message.name) + TOKENS_PER_NAME;
  if (message.role === 'assistant') {
    if (message.refusal) tokens += tokenizer.count(message.refusal);
    for (const call of message.tool_calls ?? []) {
      tokens +=
        TOKENS_PER_TOOL_CALL + tokenizer.count(call.function.name) + tokenizer.count(call.function.arguments);
      exact = false;
    }
  }
  if (message.role === 'tool') exact = false; // how tool results are framed is not published
  return { tokens, exact };
}

function withoutFinalPeriod(text: string): string {
  return text.endsWith('.') ? text.slice(0, -1) : text;
}

/** Tokens of tool definitions, with the cookbook's constants (gpt-4o family; gpt-4/3.5 differ in one). */
export function countToolTokens(tools: FunctionTool[], options: CountTokensOptions = {}): TokenCount {
  const tokenizer = resolveTokenizer(options);
  return {
    tokens: toolTokens(tools, tokenizer),
    exact: false,
    tokenizer: tokenizerLabel(tokenizer, options),
  };
}

function toolTokens(tools: FunctionTool[], tokenizer: Tokenizer): number {
  if (tools.length === 0) return 0;
  const funcInit = tokenizer.name === 'cl100k_base' ? 10 : 7;
  const [propInit, propKey, enumInit, enumItem, funcEnd] = [3, 3, -3, 3, 12];
  let tokens = 0;
  for (const { function: fn } of tools) {
    tokens += funcInit + tokenizer.count(`${fn.name}:${withoutFinalPeriod(fn.description ?? '')}`);
    const properties = (fn.parameters?.properties ?? {}) as Record<string, JsonSchema>;
    const keys = Object.keys(properties);
    if (keys.length > 0) tokens += propInit;
    for (const key of keys) {
      const prop = properties[key] ?? {};
      tokens += propKey;
      if (Array.isArray(prop.enum)) {
        tokens += enumInit;
        for (const item of prop.enum) tokens += enumItem + tokenizer.count(String(item));
      }
      const type = Array.isArray(prop.type) ? prop.type.join('|') : String(prop.type ?? '');
      const description = typeof prop.description === 'string' ? prop.description : '';
      tokens += tokenizer.count(`${key}:${type}:${withoutFinalPeriod(description)}`);
      // The cookbook stops at the first level; nested schemas are counted as their JSON text.
      if (prop.properties || prop.items) {
        tokens += tokenizer.count(JSON.stringify({ properties: prop.properties, items: prop.items }));
      }
    }
  }
  return tokens + funcEnd;
}

/** Prompt tokens of `messages` (and `tools`) for a model. */
export function countMessageTokens(
  messages: ChatMessage[],
  options: CountMessageTokensOptions = {},
): TokenCount {
  const tokenizer = resolveTokenizer(options);
  let tokens = REPLY_PRIMING;
  let exact = tokenizer.exact;
  for (const message of messages) {
    const m = messageTokens(message, tokenizer);
    tokens += m.tokens;
    exact &&= m.exact;
  }
  if (options.tools && options.tools.length > 0) {
    tokens += toolTokens(options.tools, tokenizer);
    exact = false;
  }
  return { tokens, exact, tokenizer: tokenizerLabel(tokenizer, options) };
}
