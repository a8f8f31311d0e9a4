/**
 * Checks every citation of an answer against the chunk it cites. A citation is verified when its
 * quote is found in that chunk (exactly, or up to case, whitespace, quote style and punctuation); the
 * citation then carries the chunk's own text for the span and its offsets in the document, so a
 * reader can open the source at that place. Without a usable quote, the closest sentence of the chunk
 * to the cited claim is offered as `inferred` support — shown, but not counted as verified.
 */
import { sentencesOf } from '../chunking/split-text.js';
import type { RetrievedChunk } from '../retrieval/retrieved-chunk.js';
import { citationMarkers, type ParsedAnswer } from './cited-answer-format.js';
import { contentTerms, coverage } from './content-terms.js';
import { findQuote } from './find-quote.js';

export interface NumberedSource {
  /** The number the model sees and cites, from 1. */
  n: number;
  hit: RetrievedChunk;
}

export interface Citation {
  n: number;
  chunkId: string | null;
  documentId: string | null;
  uri: string | null;
  title: string | null;
  page: number | null;
  headingPath: string[];
  /** Character offsets of the quoted span in the document's text (the chunk's, when no span). */
  start: number | null;
  end: number | null;
  /** The source's own text of the span. */
  quote: string | null;
  verified: boolean;
  match: 'exact' | 'normalized' | 'inferred' | 'none';
  /** Why a citation is not verified. */
  reason?: string;
}

export interface CitationCheck {
  citations: Citation[];
  /** At least one citation is verified or has inferred support. */
  supported: boolean;
  warnings: string[];
}

/**
 * Inferred support needs this share of the claim's content words in one sentence of the source, and
 * every number of the claim.
 */
const INFERRED_COVERAGE = 0.6;

export function checkCitations(parsed: ParsedAnswer, sources: readonly NumberedSource[]): CitationCheck {
  const byNumber = new Map(sources.map((s) => [s.n, s]));
  const markers = citationMarkers(parsed.answer);
  const cited = [...new Set(markers.map((m) => m.n))];
  const citations: Citation[] = [];
  const warnings: string[] = [];
  for (const n of cited) {
    const source = byNumber.get(n);
    if (!source) {
      citations.push({ ...emptyCitation(n), reason: `there is no source [${n}]` });
      warnings.push(`[${n}] cites a source that was not given.`);
      continue;
    }
    const { chunk, document } = source.hit;
    const base: Citation = {
      n,
      chunkId: chunk.id,
      documentId: document.id,
      uri: document.uri,
      title: document.title,
      page: chunk.page,
      headingPath: chunk.headingPath,
      start: chunk.start,
      end: chunk.end,
      quote: null,
      verified: false,
      match: 'none',
    };
    const quotes = parsed.quotes.get(n) ?? [];
    const found = quotes.map((q) => findQuote(chunk.text, q)).find((m) => m !== null);
    if (found) {
      citations.push({
        ...base,
        ...span(chunk.start, found.start, found.end),
        quote: chunk.text.slice(found.start, found.end),
        verified: true,
        match: found.kind,
      });
      continue;
    }
    const claim = claimText(
      parsed.answer,
      markers.filter((m) => m.n === n).map((m) => m.index),
    );
    const claimTerms = contentTerms(claim);
    const numbers = claim.match(/\d+(?:[.,]\d+)?/g) ?? [];
    let best: { start: number; end: number; score: number } | null = null;
    for (const s of sentencesOf(chunk.text)) {
      const sentence = chunk.text.slice(s.start, s.end);
      // A figure the claim states must appear in the sentence: "52 weeks" is not supported by "16 weeks".
      if (!numbers.every((x) => sentence.includes(x))) continue;
      const score = coverage(claimTerms, contentTerms(sentence));
      if (!best || score > best.score) best = { ...s, score };
    }
    const reason = quotes.length > 0 ? 'the quote is not in the cited source' : 'no quote was given';
    if (best && best.score >= INFERRED_COVERAGE) {
      citations.push({
        ...base,
        ...span(chunk.start, best.start, best.end),
        quote: chunk.text.slice(best.start, best.end),
        match: 'inferred',
        reason: `${reason}; the closest sentence of the source is shown`,
      });
    } else {
      citations.push({ ...base, reason });
    }
    warnings.push(`[${n}] could not be verified: ${reason}.`);
  }
  const supported = citations.some((c) => c.verified || c.match === 'inferred');
  return { citations, supported, warnings };
}

/** The sentence(s) of the answer that end with the given markers. */
function claimText(answer: string, indexes: number[]): string {
  return indexes
    .map((index) => {
      const before = answer.slice(0, index);
      const from = Math.max(before.lastIndexOf('. '), before.lastIndexOf('\n')) + 1;
      return answer.slice(from, index).replace(/\[[\d,;\s]+\]/g, ' ');
    })
    .join(' ');
}

function span(
  chunkStart: number | null,
  start: number,
  end: number,
): { start: number | null; end: number | null } {
  return chunkStart === null
    ? { start: null, end: null }
    : { start: chunkStart + start, end: chunkStart + end };
}

function emptyCitation(n: number): Citation {
  return {
    n,
    chunkId: null,
    documentId: null,
    uri: null,
    title: null,
    page: null,
    headingPath: [],
    start: null,
    end: null,
    quote: null,
    verified: false,
    match: 'none',
  };
}
