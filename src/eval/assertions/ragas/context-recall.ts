/**
 * `context-recall`, as Ragas' LLM context recall: the judge splits the reference answer into
 * sentences and decides for each whether the retrieved context supports (can be attributed to) it;
 * the score is attributed / sentences.
 */
import { z } from 'zod';
import type { AssertionHandler } from '../assertion-types.js';
import { askJudge, block, requireJudge } from '../judge.js';
import { contextsFor, referenceFor } from './ragas-inputs.js';

const classificationSchema = z.object({
  classifications: z.array(
    z.object({
      statement: z.string(),
      reason: z.string(),
      attributed: z.boolean().describe('True when the context supports this sentence of the answer'),
    }),
  ),
});

export const contextRecall: AssertionHandler = async (spec, input) => {
  const judge = requireJudge(input, spec.type);
  const contexts = contextsFor(spec, input);
  const reference = referenceFor(spec, input);
  const { classifications } = await askJudge(judge, {
    schema: classificationSchema,
    schemaName: 'context_recall',
    system:
      'Given a context and an answer, analyse each sentence of the answer and classify whether it can be attributed to the context: true if the context supports it, false if not. Give a brief reason for each.',
    user: [
      block('question', input.question),
      block('context', contexts.join('\n\n')),
      block('answer', reference),
    ].join('\n\n'),
    signal: input.signal,
  });
  if (classifications.length === 0)
    return { pass: false, score: 0, reason: 'the judge found no sentence in the reference answer' };
  const attributed = classifications.filter((c) => c.attributed).length;
  const score = attributed / classifications.length;
  const threshold = spec.threshold ?? 0.5;
  return {
    pass: score >= threshold,
    score,
    value: score,
    reason: `${attributed} of ${classifications.length} reference sentences found in the context`,
    details: { classifications },
  };
};
