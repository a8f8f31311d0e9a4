/**
 * OpenAI-shaped messages → node-llama-cpp's chat history, which the model's chat template renders.
 * The library keeps a tool call and its result together in the assistant's response, so each `tool`
 * message is folded into the call it answers (by `tool_call_id`).
 */
import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelResponse, ChatWrapper } from 'node-llama-cpp';
import { ConduitError } from '../../core/errors.js';
import type { ChatMessage, ContentPart, TextPart } from '../../core/messages.js';

export function toChatHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  const open = new Map<string, { call: ChatModelFunctionCall; index: number; answered: boolean }>();
  for (const [index, message] of messages.entries()) {
    switch (message.role) {
      case 'system':
      case 'developer':
        history.push({ type: 'system', text: textOf(message.content, index) });
        break;
      case 'user':
        history.push({ type: 'user', text: textOf(message.content, index) });
        break;
      case 'assistant': {
        const response: ChatModelResponse['response'] = [];
        const text = message.content == null ? '' : textOf(message.content, index);
        if (text) response.push(text);
        for (const call of message.tool_calls ?? []) {
          const item: ChatModelFunctionCall = {
            type: 'functionCall',
            name: call.function.name,
            params: parseJson(call.function.arguments),
            result: undefined,
          };
          open.set(call.id, { call: item, index, answered: false });
          response.push(item);
        }
        history.push({ type: 'model', response });
        break;
      }
      case 'tool': {
        const entry = open.get(message.tool_call_id);
        if (!entry)
          throw new ConduitError(
            'bad_request',
            `messages[${index}] answers tool_call_id "${message.tool_call_id}", which no earlier assistant message made`,
            {
              provider: 'local',
              param: `messages[${index}].tool_call_id`,
            },
          );
        entry.call.result = parseJson(textOf(message.content, index));
        entry.answered = true;
        break;
      }
    }
  }
  for (const [id, entry] of open) {
    if (!entry.answered)
      throw new ConduitError(
        'bad_request',
        `Tool call "${id}" of messages[${entry.index}] has no tool message answering it`,
        {
          provider: 'local',
          param: `messages[${entry.index}].tool_calls`,
        },
      );
  }
  return history;
}

/** History ending in a model turn, the form LlamaChat generates into. */
export function withOpenModelTurn(history: ChatHistoryItem[]): ChatHistoryItem[] {
  return history.at(-1)?.type === 'model' ? history : [...history, { type: 'model', response: [] }];
}

/** The prompt as the model will see it, tokenized: for counting and picking a warm sequence. */
export function renderPrompt(
  wrapper: ChatWrapper,
  history: ChatHistoryItem[],
  functions: Parameters<ChatWrapper['generateContextState']>[0]['availableFunctions'],
  tokenizer: Parameters<import('node-llama-cpp').LlamaText['tokenize']>[0],
): number[] {
  const { contextText } = wrapper.generateContextState({
    chatHistory: withOpenModelTurn(history),
    ...(functions ? { availableFunctions: functions, documentFunctionParams: true } : {}),
  });
  return contextText.tokenize(tokenizer);
}

function textOf(content: string | ContentPart[] | TextPart[], index: number): string {
  if (typeof content === 'string') return content;
  let text = '';
  for (const [i, part] of content.entries()) {
    if (part.type !== 'text')
      throw new ConduitError(
        'unsupported',
        `messages[${index}].content[${i}] is ${part.type}: local GGUF models take text only`,
        {
          provider: 'local',
          param: `messages[${index}].content[${i}]`,
        },
      );
    text += part.text;
  }
  return text;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
