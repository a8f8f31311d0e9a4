/**
 * Folds a stream of ChatEvents into the same ChatResult that `generate` returns, so every provider
 * implements `generate` once, from its stream or its JSON, and both paths agree.
 */
import type { ChatChoice, ChatEvent, ChatResult, Cost, FinishReason, Usage } from './chat-event.js';
import { emptyUsage } from './chat-event.js';
import type { ToolCall } from './messages.js';

interface ChoiceState {
  text: string;
  reasoning: string;
  tools: Map<number, { id: string; name: string; arguments: string; extra?: Record<string, unknown> }>;
  finishReason?: FinishReason;
  logprobs?: ChatChoice['logprobs'];
}

export interface StreamAccumulator {
  add(event: ChatEvent): void;
  result(): ChatResult;
}

/** Incremental form, for callers that forward events and also need the final result (the gateway). */
export function createStreamAccumulator(): StreamAccumulator {
  const choices = new Map<number, ChoiceState>();
  let id = '';
  let model = '';
  let created = Math.floor(Date.now() / 1000);
  let usage: Usage | undefined;
  let cost: Cost | undefined;

  const choice = (index = 0): ChoiceState => {
    let state = choices.get(index);
    if (!state) {
      state = { text: '', reasoning: '', tools: new Map() };
      choices.set(index, state);
    }
    return state;
  };

  return {
    add(event) {
      switch (event.type) {
        case 'start':
          id = event.id;
          model = event.model;
          if (event.created !== undefined) created = event.created;
          break;
        case 'text-delta':
          choice(event.choice).text += event.text;
          break;
        case 'reasoning-delta':
          choice(event.choice).reasoning += event.text;
          break;
        case 'tool-call-delta': {
          const tools = choice(event.choice).tools;
          const call: { id: string; name: string; arguments: string; extra?: Record<string, unknown> } =
            tools.get(event.index) ?? { id: '', name: '', arguments: '' };
          if (event.id) call.id = event.id;
          if (event.extra) call.extra = { ...call.extra, ...event.extra };
          if (event.name) call.name = event.name;
          call.arguments += event.arguments;
          tools.set(event.index, call);
          break;
        }
        case 'logprobs': {
          const state = choice(event.choice);
          state.logprobs = [...(state.logprobs ?? []), ...event.content];
          break;
        }
        case 'usage':
          usage = event.usage;
          if (event.cost) cost = event.cost;
          break;
        case 'finish':
          choice(event.choice).finishReason = event.reason;
          break;
        case 'error':
          throw event.error;
      }
    },
    result() {
      if (choices.size === 0) choice(0);
      const list: ChatChoice[] = [...choices.entries()]
        .sort(([a], [b]) => a - b)
        .map(([index, state]) => {
          const toolCalls: ToolCall[] = [...state.tools.entries()]
            .sort(([a], [b]) => a - b)
            .map(([i, t]) => {
              const call: ToolCall = {
                id: t.id || `call_${index}_${i}`,
                type: 'function',
                function: { name: t.name, arguments: t.arguments },
              };
              if (t.extra) call.extra_content = t.extra;
              return call;
            });
          const out: ChatChoice = {
            index,
            text: state.text,
            toolCalls,
            finishReason: state.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
          };
          if (state.reasoning) out.reasoning = state.reasoning;
          if (state.logprobs) out.logprobs = state.logprobs;
          return out;
        });
      const first = list[0]!;
      const result: ChatResult = {
        id,
        model,
        created,
        text: first.text,
        toolCalls: first.toolCalls,
        finishReason: first.finishReason,
        choices: list,
        usage: usage ?? emptyUsage(),
      };
      if (first.reasoning) result.reasoning = first.reasoning;
      if (cost) result.cost = cost;
      return result;
    },
  };
}

/**
 * Collects a whole stream. An `error` event is thrown as its ConduitError.
 *
 * @example
 * const result = await collectStream(model.stream({ messages }));
 */
export async function collectStream(
  events: AsyncIterable<ChatEvent> | Iterable<ChatEvent>,
): Promise<ChatResult> {
  const acc = createStreamAccumulator();
  for await (const event of events) acc.add(event);
  return acc.result();
}
