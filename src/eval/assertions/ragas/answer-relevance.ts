/**
 * `answer-relevance`, as Ragas' response relevancy: the judge writes `strictness` (default 3)
 * questions that the answer would answer, flagging evasive ("noncommittal") answers; the score is the
 * mean cosine similarity between those questions' embeddings and the real question's, and 0 when
 * every sample calls the answer noncommittal. Needs a judge and an embedding model.
 */
import { z } from 'zod';
import type { AssertionHandler } from '../assertion-types.js';
import { AssertionConfigError, unitScore } from '../assertion-values.js';
import { askJudge, block, requireJudge } from '../judge.js';
import { cosineSimilarity, requireEmbedder } from '../similarity-assertion.js';

const generatedSchema = z.object({
  question: z.string().describe('A question that the answer answers'),
  noncommittal: z
    .boolean()
    .describe('True when the answer is evasive, vague or ambiguous ("I don\'t know", "I\'m not sure")'),
});

const SYSTEM =
  'Write the question that the given answer answers, and say whether the answer is noncommittal: true when it is evasive, vague or ambiguous, such as "I don\'t know" or "I\'m not sure".';

export const answerRelevance: AssertionHandler = async (spec, input) => {
  const judge = requireJudge(input, spec.type);
  const embedder = requireEmbedder(input, spec.type);
  const strictness = spec.strictness ?? 3;
  if (!Number.isInteger(strictness) || strictness < 1)
    throw new AssertionConfigError('answer-relevance: strictness must be a positive integer');
  // Ragas samples at temperature 0.3 when it asks for several generations; the seed keeps each
  // sample its own request, so the response cache does not collapse them into one.
  const samples = await Promise.all(
    Array.from({ length: strictness }, (_, i) =>
      askJudge(judge, {
        schema: generatedSchema,
        schemaName: 'generated_question',
        system: SYSTEM,
        user: block('answer', input.output),
        temperature: strictness > 1 ? 0.3 : 0,
        seed: i,
        signal: input.signal,
      }),
    ),
  );
  const questions = samples.map((s) => s.question).filter((q) => q.trim() !== '');
  if (questions.length === 0)
    return { pass: false, score: 0, reason: 'the judge could not derive a question' };
  const { embeddings } = await embedder.embed([input.question, ...questions], {
    ...(input.signal ? { signal: input.signal } : {}),
  });
  const [original, ...generated] = embeddings;
  const mean = generated.reduce((sum, v) => sum + cosineSimilarity(original!, v), 0) / generated.length;
  const allNoncommittal = samples.every((s) => s.noncommittal);
  const score = allNoncommittal ? 0 : mean;
  const threshold = spec.threshold ?? 0.5;
  return {
    pass: score >= threshold,
    score: unitScore(score),
    value: score,
    reason: allNoncommittal
      ? 'the answer is noncommittal'
      : `mean cosine ${mean.toFixed(3)} between the question and ${generated.length} questions the answer answers`,
    details: { questions, noncommittal: samples.map((s) => s.noncommittal) },
  };
};
