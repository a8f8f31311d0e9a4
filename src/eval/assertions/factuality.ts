/**
 * `factuality`: OpenAI's model-graded fact check (evals `modelgraded/fact.yaml`): the judge compares
 * the output with an expert answer and picks one of five categories. Its prompt is the eval's own;
 * only the answer format differs — a constrained `{ reason, choice }` object instead of a letter
 * parsed from the end of free text. Scores follow promptfoo's defaults (only a disagreement, D,
 * fails) and can be changed per category with `scores`.
 *
 * @example
 * { type: 'factuality', value: 'Sacramento is the capital of California.' }
 */
import { z } from 'zod';
import type { AssertionHandler } from './assertion-types.js';
import { stringValue } from './assertion-values.js';
import { askJudge, requireJudge } from './judge.js';

export const FACTUALITY_CATEGORIES = {
  A: 'The submitted answer is a subset of the expert answer and is fully consistent with it.',
  B: 'The submitted answer is a superset of the expert answer and is fully consistent with it.',
  C: 'The submitted answer contains all the same details as the expert answer.',
  D: 'There is a disagreement between the submitted answer and the expert answer.',
  E: "The answers differ, but these differences don't matter from the perspective of factuality.",
} as const;

export type FactualityChoice = keyof typeof FACTUALITY_CATEGORIES;

export const DEFAULT_FACTUALITY_SCORES: Record<FactualityChoice, number> = { A: 1, B: 1, C: 1, D: 0, E: 1 };

const verdictSchema = z.object({
  reason: z.string().describe('Brief comparison of the factual content'),
  choice: z.enum(['A', 'B', 'C', 'D', 'E']).describe('The option that applies'),
});

function factPrompt(question: string, expert: string, submission: string): string {
  const options = Object.entries(FACTUALITY_CATEGORIES)
    .map(([letter, text]) => `(${letter}) ${text}`)
    .join('\n');
  return `You are comparing a submitted answer to an expert answer on a given question. Here is the data:
[BEGIN DATA]
************
[Question]: ${question}
************
[Expert]: ${expert}
************
[Submission]: ${submission}
************
[END DATA]

Compare the factual content of the submitted answer with the expert answer. Ignore any differences in style, grammar, or punctuation.
The submitted answer may either be a subset or superset of the expert answer, or it may conflict with it. Determine which case applies. Answer the question by selecting one of the following options:
${options}`;
}

export const factuality: AssertionHandler = async (spec, input) => {
  const judge = requireJudge(input, spec.type);
  const verdict = await askJudge(judge, {
    schema: verdictSchema,
    schemaName: 'factuality_verdict',
    system: 'You are a careful fact checker. Answer with JSON: reason, then choice (one letter, A to E).',
    user: factPrompt(input.question, stringValue(spec), input.output),
    signal: input.signal,
  });
  const scores = { ...DEFAULT_FACTUALITY_SCORES, ...spec.scores };
  const score = scores[verdict.choice];
  const pass = score >= (spec.threshold ?? 0.5);
  return {
    pass,
    score,
    reason: `(${verdict.choice}) ${verdict.reason}`,
    details: { choice: verdict.choice, category: FACTUALITY_CATEGORIES[verdict.choice] },
  };
};
