/**
 * Splits a conversation into the units fitToContext may drop: an assistant message that calls tools
 * travels with its tool results (dropping one without the other leaves a `tool` message whose call is
 * gone, which OpenAI and Anthropic reject), every other message is a unit of its own.
 */
import type { ChatMessage } from '../messages.js';

export interface Turn {
  /** Positions in the original list, ascending. */
  indices: number[];
  /**
   * Never dropped: system/developer messages, the last user message, and the newest unit (what the
   * model is answering: usually that user message, or tool results in an agent loop).
   */
  pinned: boolean;
}

export function groupTurns(messages: readonly ChatMessage[]): Turn[] {
  const turns: Turn[] = [];
  const turnOfCall = new Map<string, Turn>();
  let lastUser = -1;
  messages.forEach((m, i) => {
    if (m.role === 'user') lastUser = i;
  });

  messages.forEach((message, index) => {
    if (message.role === 'tool') {
      // Results join their call's turn wherever they appear, so they are kept or dropped with it.
      const owner = turnOfCall.get(message.tool_call_id);
      if (owner) {
        owner.indices.push(index);
        return;
      }
    }
    const turn: Turn = {
      indices: [index],
      pinned: message.role === 'system' || message.role === 'developer' || index === lastUser,
    };
    if (message.role === 'assistant')
      for (const call of message.tool_calls ?? []) turnOfCall.set(call.id, turn);
    turns.push(turn);
  });

  // The newest unit is the one holding the last message (tool results may have joined an earlier call).
  const lastIndex = messages.length - 1;
  for (const turn of turns) if (turn.indices.includes(lastIndex)) turn.pinned = true;
  return turns;
}
