/**
 * One prompt rendered for one case: the conversation a target receives. Few-shot examples go after
 * the leading system/developer messages as user/assistant turns, so the model sees them before the
 * real question, as a few-shot prompt is usually written by hand.
 *
 * @example
 * buildMessages(prompt, { country: 'France' })
 * // [{ role: 'system', … }, { role: 'user', content: 'Italy?' }, { role: 'assistant', content: 'Rome' }, { role: 'user', content: 'France?' }]
 */
import { type ChatMessage, contentText } from '../../core/messages.js';
import type { EvalPrompt } from './eval-suite.js';
import { renderTemplate } from './render-template.js';

export function buildMessages(prompt: EvalPrompt, vars: Record<string, unknown>): ChatMessage[] {
  const rendered = prompt.messages.map((m) => ({ role: m.role, content: renderTemplate(m.content, vars) }));
  if (prompt.examples.length === 0) return rendered as ChatMessage[];
  let lead = 0;
  while (
    lead < rendered.length &&
    (rendered[lead]!.role === 'system' || rendered[lead]!.role === 'developer')
  )
    lead++;
  const shots = prompt.examples.flatMap((e) => [
    { role: 'user' as const, content: renderTemplate(e.input, vars) },
    { role: 'assistant' as const, content: renderTemplate(e.output, vars) },
  ]);
  return [...rendered.slice(0, lead), ...shots, ...rendered.slice(lead)] as ChatMessage[];
}

/** The question a judge and the RAG metrics see: `vars.question`, else the last user message. */
export function questionOf(messages: readonly ChatMessage[], vars: Record<string, unknown>): string {
  if (typeof vars.question === 'string') return vars.question;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'user') return contentText(m.content);
  }
  return '';
}
