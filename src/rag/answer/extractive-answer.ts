/**
 * The answer when no generative model is configured: the sentences of the best chunks that match the
 * question most closely, quoted verbatim with their citations and clearly labelled as extractive.
 * Every citation is exact by construction.
 */
import { sentencesOf } from '../chunking/split-text.js';
import type { Citation, NumberedSource } from './check-citations.js';
import { contentTerms, coverage } from './content-terms.js';

export const EXTRACTIVE_PREFIX =
  'Extractive answer (no generative model is configured): the passages that best match the question are quoted below.';

export interface ExtractiveAnswer {
  answer: string;
  citations: Citation[];
}

export function extractiveAnswer(
  question: string,
  sources: readonly NumberedSource[],
  max = 3,
): ExtractiveAnswer {
  const terms = contentTerms(question);
  const lines: string[] = [];
  const citations: Citation[] = [];
  for (const { n, hit } of sources.slice(0, max)) {
    const { chunk, document } = hit;
    let best = { start: 0, end: chunk.text.length, score: -1 };
    for (const s of sentencesOf(chunk.text)) {
      const sentence = chunk.text.slice(s.start, s.end);
      const words = sentence.split(/\s+/).length;
      // A list bullet or caption of three words matches a question's terms but answers nothing:
      // fragments rank below real sentences, and among equals a fuller sentence wins.
      const score =
        coverage(terms, contentTerms(sentence)) - (words < 5 ? 0.5 : 0) + Math.min(words, 30) / 1000;
      if (score > best.score) best = { ...s, score };
    }
    const quote = chunk.text.slice(best.start, best.end);
    lines.push(`${lines.length + 1}. "${quote.replace(/\s+/g, ' ')}" [${n}]`);
    citations.push({
      n,
      chunkId: chunk.id,
      documentId: document.id,
      uri: document.uri,
      title: document.title,
      page: chunk.page,
      headingPath: chunk.headingPath,
      start: chunk.start === null ? null : chunk.start + best.start,
      end: chunk.start === null ? null : chunk.start + best.end,
      quote,
      verified: true,
      match: 'exact',
    });
  }
  return { answer: `${EXTRACTIVE_PREFIX}\n\n${lines.join('\n')}`, citations };
}
