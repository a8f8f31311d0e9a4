/**
 * Makes a conversation fit a prompt budget before it is sent, instead of letting the provider reject it
 * with a context-length error after a round trip.
 *
 * Every strategy keeps system/developer messages, the last user message and the newest turn, and never
 * separates an assistant tool call from its results. When even those do not fit, it throws
 * `ConduitError('context_length_exceeded')`.
 *
 * @example
 * const { messages } = await fitToContext(history, { maxTokens: 8_000, strategy: 'drop-oldest', model: 'gpt-4o' });
 * const fitted = await fitToContext(history, {
 *   maxTokens: 8_000,
 *   strategy: 'summarize-older',
 *   model: 'gpt-4o',
 *   summarize: async (older) => (await cheapModel.generate({ messages: [...older, { role: 'user', content: 'Summarize the conversation so far.' }] })).text,
 * });
 */
import { ConduitError } from '../errors.js';
import type { ChatMessage } from '../messages.js';
import { countMessageTokens } from '../tokens/count-message-tokens.js';
import { resolveTokenizer } from '../tokens/count-tokens.js';
import type { Tokenizer } from '../tokens/tokenizer.js';
import { truncateMiddle } from '../tokens/truncate-middle.js';
import { groupTurns, type Turn } from './group-turns.js';

export type FitStrategy = 'drop-oldest' | 'truncate-middle' | 'summarize-older';

export interface FitToContextOptions {
  /** Prompt budget: the model's context window minus the room kept for the reply. */
  maxTokens: number;
  strategy: FitStrategy;
  /** Model the prompt is for; selects the tokenizer (see countTokens). */
  model?: string;
  /** Counts the prompt tokens of a message list; defaults to `countMessageTokens` for `model`. */
  countTokens?: (messages: ChatMessage[]) => number;
  /** Summarizes older messages (strategy 'summarize-older'); usually a call to a cheap model. */
  summarize?: (messages: ChatMessage[]) => Promise<string>;
  /** Room left for the summary message; default min(1000, maxTokens / 4). */
  summaryTokens?: number;
}

export interface FitResult {
  messages: ChatMessage[];
  /** Prompt tokens of `messages`, by the same counter. */
  tokens: number;
  /** Messages removed (or, for summarize-older, replaced by the summary). */
  dropped: number;
  /** Messages whose text was shortened (truncate-middle only). */
  truncated: number;
  strategy: FitStrategy;
}

/** Marks the summary message so a later fitToContext can fold it into the next summary. */
export const SUMMARY_PREFIX = 'Summary of the earlier conversation:\n';

interface Plan {
  messages: readonly ChatMessage[];
  turns: Turn[];
  count: (messages: ChatMessage[]) => number;
  maxTokens: number;
  total: number;
}

function pick(plan: Plan, dropped: ReadonlySet<number>): ChatMessage[] {
  return plan.messages.filter((_, i) => !dropped.has(i));
}

const isSystem = (m: ChatMessage) => m.role === 'system' || m.role === 'developer';

/**
 * Drops turns in `order` until the rest fits (or none is left); returns the dropped positions. With
 * `startAtUser` (order is oldest first), it also drops replies whose question is gone, so the kept
 * history opens with a user message as Anthropic and Gemini expect.
 */
function dropTurns(plan: Plan, order: Turn[], startAtUser = false): { dropped: Set<number>; tokens: number } {
  const dropped = new Set<number>();
  const base = plan.count([]);
  // Per-turn costs are additive for the built-in counter, so estimate first and count exactly once…
  let estimate = plan.total;
  let next = 0;
  while (estimate > plan.maxTokens && next < order.length) {
    const turn = order[next++]!;
    estimate -= plan.count(turn.indices.map((i) => plan.messages[i]!)) - base;
    for (const i of turn.indices) dropped.add(i);
  }
  // …and fall back to recounting for a caller's counter that is not.
  let tokens = plan.count(pick(plan, dropped));
  while (tokens > plan.maxTokens && next < order.length) {
    for (const i of order[next++]!.indices) dropped.add(i);
    tokens = plan.count(pick(plan, dropped));
  }
  if (startAtUser && dropped.size > 0 && plan.messages.some((m) => m.role === 'user')) {
    let trimmed = false;
    while (next < order.length) {
      const first = plan.messages.findIndex((m, i) => !dropped.has(i) && !isSystem(m));
      if (first < 0 || plan.messages[first]!.role === 'user' || !order[next]!.indices.includes(first)) break;
      for (const i of order[next++]!.indices) dropped.add(i);
      trimmed = true;
    }
    if (trimmed) tokens = plan.count(pick(plan, dropped));
  }
  return { dropped, tokens };
}

/** Middle-out: repeatedly the droppable turn nearest the middle, so both ends survive longest. */
function middleOut(turns: Turn[]): Turn[] {
  const rest = [...turns];
  const order: Turn[] = [];
  while (rest.length > 0) order.push(...rest.splice(Math.floor(rest.length / 2), 1));
  return order;
}

function tooLong(plan: Plan, tokens: number, strategy: FitStrategy): ConduitError {
  return new ConduitError(
    'context_length_exceeded',
    `The conversation needs ${plan.total} tokens and the budget is ${plan.maxTokens}; after '${strategy}' ` +
      `the system messages and the last user turn alone still need ${tokens} tokens`,
    { details: { tokens, maxTokens: plan.maxTokens, originalTokens: plan.total, strategy } },
  );
}

function textOf(message: ChatMessage): string | undefined {
  const { content } = message;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  let longest: string | undefined;
  for (const part of content)
    if (part.type === 'text' && part.text.length > (longest?.length ?? -1)) longest = part.text;
  return longest;
}

function withText(message: ChatMessage, original: string, text: string): ChatMessage {
  if (typeof message.content === 'string') return { ...message, content: text } as ChatMessage;
  const parts = (message.content ?? []).map((p) =>
    p.type === 'text' && p.text === original ? { ...p, text } : p,
  );
  return { ...message, content: parts } as ChatMessage;
}

/** Cuts the middle of the largest texts (non-system first) until the messages fit. */
function truncateTexts(plan: Plan, messages: ChatMessage[], tokenizer: Tokenizer) {
  let tokens = plan.count(messages);
  let truncated = 0;
  const candidates = messages
    .map((m, i) => ({ i, text: textOf(m), system: isSystem(m) }))
    .filter((c): c is { i: number; text: string; system: boolean } => !!c.text)
    .map((c) => ({ ...c, tokens: tokenizer.count(c.text) }))
    .sort((a, b) => Number(a.system) - Number(b.system) || b.tokens - a.tokens);
  for (const c of candidates) {
    if (tokens <= plan.maxTokens) break;
    const original = messages[c.i]!;
    let keep = c.tokens - (tokens - plan.maxTokens);
    // Always cut from the original text, so the marker counts every removed token once.
    for (let attempt = 0; attempt < 4 && tokens > plan.maxTokens; attempt++) {
      const cut = truncateMiddle(c.text, Math.max(0, keep), { tokenizer });
      messages[c.i] = withText(original, c.text, cut.text);
      const now = plan.count(messages);
      keep -= now - plan.maxTokens;
      tokens = now;
      if (keep <= 0) break;
    }
    truncated++;
  }
  return { tokens, truncated };
}

async function summarizeOlder(plan: Plan, options: FitToContextOptions): Promise<FitResult> {
  const { summarize } = options;
  if (!summarize) {
    throw new ConduitError(
      'bad_request',
      "fitToContext strategy 'summarize-older' needs a summarize function",
      {
        param: 'summarize',
      },
    );
  }
  const droppable = plan.turns.filter((t) => !t.pinned);
  if (droppable.length === 0) throw tooLong(plan, plan.total, 'summarize-older');
  const room = options.summaryTokens ?? Math.min(1000, Math.floor(plan.maxTokens / 4));
  const { dropped } = dropTurns({ ...plan, maxTokens: Math.max(0, plan.maxTokens - room) }, droppable, true);
  const older = plan.messages.filter((_, i) => dropped.has(i));
  const first = Math.min(...dropped);
  const build = (summaryText: string | undefined) =>
    plan.messages.flatMap((m, i): ChatMessage[] => {
      if (i === first && summaryText !== undefined)
        return [{ role: 'system', content: SUMMARY_PREFIX + summaryText }];
      return dropped.has(i) ? [] : [m];
    });

  let summary = (await summarize(older)).trim();
  let messages = build(summary);
  let tokens = plan.count(messages);
  if (tokens > plan.maxTokens) {
    // The summary came out longer than the room left for it: keep its start and end.
    const tokenizer = resolveTokenizer({ model: options.model });
    const keep = tokenizer.count(summary) - (tokens - plan.maxTokens);
    if (keep > 0) {
      summary = truncateMiddle(summary, keep, { tokenizer }).text;
      messages = build(summary);
      tokens = plan.count(messages);
    }
    if (tokens > plan.maxTokens) {
      messages = build(undefined);
      tokens = plan.count(messages);
    }
  }
  if (tokens > plan.maxTokens) throw tooLong(plan, tokens, 'summarize-older');
  return { messages, tokens, dropped: dropped.size, truncated: 0, strategy: 'summarize-older' };
}

export async function fitToContext(
  messages: ChatMessage[],
  options: FitToContextOptions,
): Promise<FitResult> {
  const { strategy, maxTokens } = options;
  if (!Number.isFinite(maxTokens) || maxTokens <= 0) {
    throw new ConduitError(
      'bad_request',
      `fitToContext: maxTokens must be a positive number, got ${maxTokens}`,
      {
        param: 'maxTokens',
      },
    );
  }
  const count =
    options.countTokens ??
    ((list: ChatMessage[]) => countMessageTokens(list, { model: options.model }).tokens);
  const total = count(messages);
  if (total <= maxTokens)
    return { messages: [...messages], tokens: total, dropped: 0, truncated: 0, strategy };

  const plan: Plan = { messages, turns: groupTurns(messages), count, maxTokens, total };
  const droppable = plan.turns.filter((t) => !t.pinned);
  switch (strategy) {
    case 'drop-oldest': {
      const { dropped, tokens } = dropTurns(plan, droppable, true);
      if (tokens > maxTokens) throw tooLong(plan, tokens, strategy);
      return { messages: pick(plan, dropped), tokens, dropped: dropped.size, truncated: 0, strategy };
    }
    case 'truncate-middle': {
      const { dropped, tokens: afterDrop } = dropTurns(plan, middleOut(droppable));
      const kept = pick(plan, dropped);
      if (afterDrop <= maxTokens)
        return { messages: kept, tokens: afterDrop, dropped: dropped.size, truncated: 0, strategy };
      const { tokens, truncated } = truncateTexts(plan, kept, resolveTokenizer({ model: options.model }));
      if (tokens > maxTokens) throw tooLong(plan, afterDrop, strategy);
      return { messages: kept, tokens, dropped: dropped.size, truncated, strategy };
    }
    case 'summarize-older':
      return summarizeOlder(plan, options);
    default:
      throw new ConduitError('bad_request', `fitToContext: unknown strategy '${String(strategy)}'`, {
        param: 'strategy',
      });
  }
}
