/**
 * `context-precision`, as Ragas' LLM context precision with a reference: for each retrieved context,
 * in rank order, the judge decides whether it was useful for arriving at the reference answer; the
 * score is the average precision of those verdicts, Σ_k precision@k · v_k / Σ_k v_k, so useful
 * contexts ranked first score higher.
 */
import { z } from 'zod';
import type { AssertionHandler } from '../assertion-types.js';
import { askJudge, block, requireJudge } from '../judge.js';
import { contextsFor, referenceFor } from './ragas-inputs.js';

const verdictSchema = z.object({
  reason: z.string(),
  verdict: z.boolean().describe('True when the context was useful in arriving at the answer'),
});

/** Ragas' `_calculate_average_precision`, including its 1e-10 guard for no useful context. */
export function averagePrecision(verdicts: readonly boolean[]): number {
  let useful = 0;
  let numerator = 0;
  verdicts.forEach((verdict, i) => {
    if (!verdict) return;
    useful += 1;
    numerator += useful / (i + 1);
  });
  return numerator / (useful + 1e-10);
}

export const contextPrecision: AssertionHandler = async (spec, input) => {
  const judge = requireJudge(input, spec.type);
  const contexts = contextsFor(spec, input);
  const reference = referenceFor(spec, input);
  const verdicts = await Promise.all(
    contexts.map((context) =>
      askJudge(judge, {
        schema: verdictSchema,
        schemaName: 'context_verdict',
        system:
          'Given a question, an answer and a context, verify whether the context was useful in arriving at the given answer. Give a brief reason, then the verdict.',
        user: [block('question', input.question), block('answer', reference), block('context', context)].join(
          '\n\n',
        ),
        signal: input.signal,
      }),
    ),
  );
  const score = averagePrecision(verdicts.map((v) => v.verdict));
  const threshold = spec.threshold ?? 0.5;
  const useful = verdicts.filter((v) => v.verdict).length;
  return {
    pass: score >= threshold,
    score,
    value: score,
    reason: `${useful} of ${contexts.length} contexts useful; average precision ${score.toFixed(3)}`,
    details: { verdicts },
  };
};
