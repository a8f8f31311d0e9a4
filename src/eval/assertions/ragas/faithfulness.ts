/**
 * `faithfulness`, as Ragas defines it: the share of the answer's claims that the retrieved context
 * supports. The judge first breaks the answer into self-contained statements, then decides for each
 * whether the context lets one infer it. Score = supported / statements; an answer with no
 * statements scores 0 (Ragas returns NaN, which no threshold can pass).
 */
import { z } from 'zod';
import type { AssertionHandler } from '../assertion-types.js';
import { askJudge, block, requireJudge } from '../judge.js';
import { contextsFor, numbered } from './ragas-inputs.js';

const statementsSchema = z.object({
  statements: z
    .array(z.string())
    .describe('Self-contained statements, pronouns replaced by what they refer to'),
});

const verdictsSchema = z.object({
  verdicts: z.array(
    z.object({
      statement: z.string(),
      reason: z.string(),
      verdict: z.boolean().describe('True only when the statement can be directly inferred from the context'),
    }),
  ),
});

export const faithfulness: AssertionHandler = async (spec, input) => {
  const judge = requireJudge(input, spec.type);
  const contexts = contextsFor(spec, input);
  const { statements } = await askJudge(judge, {
    schema: statementsSchema,
    schemaName: 'statements',
    system:
      'Break the answer to the question into one or more statements. Each statement must be understandable on its own: replace pronouns with what they refer to. Do not add information.',
    user: [block('question', input.question), block('answer', input.output)].join('\n\n'),
    signal: input.signal,
  });
  if (statements.length === 0)
    return { pass: false, score: 0, reason: 'the answer makes no statement to check against the context' };
  const { verdicts } = await askJudge(judge, {
    schema: verdictsSchema,
    schemaName: 'faithfulness_verdicts',
    system:
      'Judge the faithfulness of statements to a context. For each statement, in order, give a verdict: true if it can be directly inferred from the context, false if not. Give a brief reason for each.',
    user: [block('context', contexts.join('\n\n')), block('statements', numbered(statements))].join('\n\n'),
    signal: input.signal,
  });
  // One verdict per statement: missing verdicts count as unsupported, extra ones are ignored.
  const supported = verdicts.slice(0, statements.length).filter((v) => v.verdict).length;
  const score = supported / statements.length;
  const threshold = spec.threshold ?? 0.5;
  return {
    pass: score >= threshold,
    score,
    value: score,
    reason: `${supported} of ${statements.length} statements supported by the context`,
    details: { statements, verdicts },
  };
};
