/**
 * Builds the grounded prompt: the rules of the cited-answer format, the retrieved chunks as numbered
 * sources (title, heading path, page), and the question — with as many sources, best first, as fit
 * the model's context window after room for the reply. Sources are dropped whole rather than cut,
 * so every quote the model can make is a quote of text the checker holds.
 */
import { contextWindowFor } from '../../core/context/context-windows.js';
import type { LanguageModel } from '../../core/language-model.js';
import type { ChatMessage } from '../../core/messages.js';
import { countTokens } from '../../core/tokens/count-tokens.js';
import { type RetrievedChunk, sourcePath } from '../retrieval/retrieved-chunk.js';
import type { NumberedSource } from './check-citations.js';
import { ANSWER_RULES } from './cited-answer-format.js';

export const SYSTEM_PROMPT = `You answer questions using only the numbered sources you are given.
${ANSWER_RULES}`;

export interface PromptBudget {
  /** Tokens kept for the reply; default 1024. */
  replyTokens?: number;
  /** Upper bound for the sources, whatever the window; default 12,000. */
  maxContextTokens?: number;
  /** The model's window when Conduit does not know it; default 8,192. */
  contextWindow?: number;
}

/** The tokens available for sources: the window less the reply, the rules and the question. */
export function sourceBudget(model: LanguageModel, question: string, budget: PromptBudget = {}): number {
  const window =
    budget.contextWindow ?? contextWindowFor(model.modelId, model.provider)?.contextTokens ?? 8_192;
  const fixed = count(model, SYSTEM_PROMPT) + count(model, question) + 64;
  const available = window - (budget.replyTokens ?? 1_024) - fixed;
  return Math.max(0, Math.min(available, budget.maxContextTokens ?? 12_000));
}

/** Numbers the hits that fit `tokens`, best first; the first always fits (cut if it must). */
export function selectSources(
  model: LanguageModel,
  hits: readonly RetrievedChunk[],
  tokens: number,
): NumberedSource[] {
  const out: NumberedSource[] = [];
  let used = 0;
  for (const hit of hits) {
    const cost = count(model, formatSource({ n: out.length + 1, hit }));
    if (used + cost > tokens && out.length > 0) continue;
    out.push({ n: out.length + 1, hit });
    used += cost;
  }
  return out;
}

export function formatSource({ n, hit }: NumberedSource): string {
  const where = sourcePath(hit.document.title, hit.chunk.headingPath);
  const page = hit.chunk.page !== null ? ` (page ${hit.chunk.page})` : '';
  return `[${n}] ${where.join(' › ') || hit.document.id}${page}\n${hit.chunk.text}`;
}

export function formatSources(sources: readonly NumberedSource[]): string {
  return sources.map(formatSource).join('\n\n');
}

export function groundedMessages(question: string, sources: readonly NumberedSource[]): ChatMessage[] {
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: `Sources:\n\n${formatSources(sources)}\n\nQuestion: ${question}` },
  ];
}

function count(model: LanguageModel, text: string): number {
  return countTokens(text, { model: model.modelId }).tokens;
}
