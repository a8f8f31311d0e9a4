/**
 * The verification steps of `ask --verify`: a judge call checks the draft against the sources claim
 * by claim, and — unless it finds everything supported — a refine call rewrites the draft with the
 * judge's findings, in the same cited format. The judge returns structured output, so its verdict
 * is data the trace (and the JSON result) can show.
 */
import { z } from 'zod';
import { generateObject } from '../../core/generate/generate-object.js';
import type { CallOptions, LanguageModel } from '../../core/language-model.js';
import type { ChatMessage } from '../../core/messages.js';
import type { NumberedSource } from './check-citations.js';
import { NOT_FOUND_ANSWER } from './cited-answer-format.js';
import { formatSources, SYSTEM_PROMPT } from './grounded-prompt.js';

export const judgementSchema = z.object({
  verdict: z.enum(['supported', 'partially_supported', 'unsupported']),
  issues: z
    .array(z.object({ claim: z.string(), problem: z.string() }))
    .describe('claims the cited sources do not state, or that cite the wrong source'),
});

export type Judgement = z.infer<typeof judgementSchema>;

const JUDGE_SYSTEM = `You check an answer against numbered sources.
For each claim in the answer, check that the source it cites states it. A claim is unsupported when
no source states it, and wrongly cited when another source states it. Quotes after "QUOTES:" must be
verbatim text of the cited source. Report every problem; report none when all claims are supported.`;

export async function judgeAnswer(
  model: LanguageModel,
  question: string,
  sources: readonly NumberedSource[],
  draft: string,
  callOptions?: CallOptions,
) {
  return generateObject({
    model,
    schema: judgementSchema,
    schemaName: 'judgement',
    system: JUDGE_SYSTEM,
    prompt: `Sources:\n\n${formatSources(sources)}\n\nQuestion: ${question}\n\nAnswer to check:\n${draft}`,
    temperature: 0,
    ...(callOptions ? { callOptions } : {}),
  });
}

export function refineMessages(
  question: string,
  sources: readonly NumberedSource[],
  draft: string,
  judgement: Judgement,
): ChatMessage[] {
  const findings =
    judgement.issues.map((i) => `- "${i.claim}": ${i.problem}`).join('\n') || '- (none listed)';
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    {
      role: 'user',
      content:
        `Sources:\n\n${formatSources(sources)}\n\nQuestion: ${question}\n\n` +
        `A reviewer checked this draft answer against the sources:\n\n${draft}\n\n` +
        `Findings (verdict: ${judgement.verdict}):\n${findings}\n\n` +
        `Write the corrected answer in the same format: keep what is supported, fix or remove the rest. ` +
        `If nothing is supported, reply exactly: ${NOT_FOUND_ANSWER}`,
    },
  ];
}
