/**
 * The vocabulary of the generated test model: a SentencePiece ("llama") tokenizer that has no
 * merges at all, so every character is spelled with byte-fallback tokens and any Unicode text
 * round-trips exactly.
 *
 * Besides `<unk>`, `<s>`, `</s>` and the 256 `<0xXX>` byte tokens, it holds two more pieces:
 * - `▁` (U+2581): SentencePiece writes a space as `▁` before it looks tokens up; without a `▁` piece
 *   the space would fall back to the three UTF-8 bytes of `▁` and decode as `▁`, not as a space.
 * - `<|im_start|>` and `<|im_end|>` as control tokens, so the ChatML template's markers are single
 *   special tokens (as in every ChatML model) and `<|im_end|>` ends a turn (llama.cpp treats it as
 *   end-of-generation by name).
 */

/** llama_token_type as stored in `tokenizer.ggml.token_type`. */
export const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, userDefined: 4, unused: 5, byte: 6 } as const;

export interface ByteVocabulary {
  tokens: string[];
  scores: number[];
  types: number[];
  unk: number;
  bos: number;
  eos: number;
  imStart: number;
  imEnd: number;
}

export function byteVocabulary(): ByteVocabulary {
  const tokens: string[] = [];
  const scores: number[] = [];
  const types: number[] = [];
  const add = (token: string, type: number, score = 0): number => {
    tokens.push(token);
    scores.push(score);
    types.push(type);
    return tokens.length - 1;
  };
  const unk = add('<unk>', TOKEN_TYPE.unknown);
  const bos = add('<s>', TOKEN_TYPE.control);
  const eos = add('</s>', TOKEN_TYPE.control);
  for (let byte = 0; byte < 256; byte++) {
    add(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`, TOKEN_TYPE.byte);
  }
  add('\u2581', TOKEN_TYPE.normal, -1);
  const imStart = add('<|im_start|>', TOKEN_TYPE.control);
  const imEnd = add('<|im_end|>', TOKEN_TYPE.control);
  return { tokens, scores, types, unk, bos, eos, imStart, imEnd };
}

/**
 * The ChatML template (as Qwen and many fine-tunes ship it), with the `tools` block of Hermes-style
 * templates so a tool-aware renderer has somewhere to put tool definitions.
 */
export const CHATML_TEMPLATE = [
  '{%- if tools %}{{- "<|im_start|>system\\n" }}',
  '{%- if messages[0].role == "system" %}{{- messages[0].content + "\\n\\n" }}{%- endif %}',
  '{{- "# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\n<tools>" }}',
  '{%- for tool in tools %}{{- "\\n" }}{{- tool | tojson }}{%- endfor %}',
  '{{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}',
  '{%- elif messages[0].role == "system" %}{{- "<|im_start|>system\\n" + messages[0].content + "<|im_end|>\\n" }}',
  '{%- endif %}',
  '{%- for message in messages %}',
  '{%- if message.role == "user" or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}',
  '{{- "<|im_start|>" + message.role + "\\n" + message.content + "<|im_end|>\\n" }}',
  '{%- elif message.role == "assistant" %}{{- "<|im_start|>assistant" }}',
  '{%- if message.content %}{{- "\\n" + message.content }}{%- endif %}',
  '{%- for tool_call in message.tool_calls %}{%- if tool_call.function is defined %}{%- set tool_call = tool_call.function %}{%- endif %}',
  '{{- "\\n<tool_call>\\n{\\"name\\": \\"" }}{{- tool_call.name }}{{- "\\", \\"arguments\\": " }}{{- tool_call.arguments | tojson }}{{- "}\\n</tool_call>" }}',
  '{%- endfor %}{{- "<|im_end|>\\n" }}',
  '{%- elif message.role == "tool" %}',
  '{%- if loop.index0 == 0 or messages[loop.index0 - 1].role != "tool" %}{{- "<|im_start|>user" }}{%- endif %}',
  '{{- "\\n<tool_response>\\n" }}{{- message.content }}{{- "\\n</tool_response>" }}',
  '{%- if loop.last or messages[loop.index0 + 1].role != "tool" %}{{- "<|im_end|>\\n" }}{%- endif %}',
  '{%- endif %}',
  '{%- endfor %}',
  '{%- if add_generation_prompt %}{{- "<|im_start|>assistant\\n" }}{%- endif %}',
].join('\n');
