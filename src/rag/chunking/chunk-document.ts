/**
 * Structure-aware chunking sized in tokens. A document is cut into sections (headings, pages), each
 * section into paragraphs, paragraphs into sentences, and over-long sentences into word windows; the
 * pieces are then packed greedily up to `maxTokens`, preferring to end a chunk at a paragraph break
 * once it is half full, and each new chunk repeats up to `overlapTokens` of trailing sentences. A
 * chunk's text is always an exact slice of the document text (`text.slice(start, end)`), which is
 * what lets a citation quote and locate its span.
 *
 * @example
 * const chunks = chunkDocument(loaded, { maxTokens: 512, overlapTokens: 64 });
 * chunks[0]; // { text, start, end, page: 3, headingPath: ['Guide', 'Install'], tokens: 487 }
 */
import { encodingTokenizer } from '../../core/tokens/encodings.js';
import type { Tokenizer } from '../../core/tokens/tokenizer.js';
import type { LoadedDocument } from '../loaders/loaded-document.js';
import { documentSections, type Section } from './document-sections.js';
import { splitParagraphs, splitSentences, splitWords } from './split-text.js';

export interface ChunkOptions {
  /** Largest chunk, in tokens of `tokenizer`; default 512. */
  maxTokens?: number;
  /** Tokens of trailing sentences repeated at the start of the next chunk; default 64. */
  overlapTokens?: number;
  /** Default o200k_base (GPT-4o's encoding): close to most current models' counts. */
  tokenizer?: Tokenizer;
}

export interface DocumentChunk {
  text: string;
  start: number;
  end: number;
  page: number | null;
  headingPath: string[];
  /** Sum of the pieces' token counts: within a token or two of counting the text at once. */
  tokens: number;
}

interface Unit {
  start: number;
  end: number;
  tokens: number;
  paragraphEnd: boolean;
}

export const DEFAULT_CHUNK_TOKENS = 512;
export const DEFAULT_OVERLAP_TOKENS = 64;

export function chunkDocument(
  doc: Pick<LoadedDocument, 'text' | 'headings' | 'pages'>,
  options: ChunkOptions = {},
): DocumentChunk[] {
  const maxTokens = Math.max(8, options.maxTokens ?? DEFAULT_CHUNK_TOKENS);
  const overlapTokens = Math.min(Math.max(0, options.overlapTokens ?? DEFAULT_OVERLAP_TOKENS), maxTokens / 2);
  const tokenizer = options.tokenizer ?? encodingTokenizer('o200k_base');
  const count = (s: string) => tokenizer.count(s);
  const chunks: DocumentChunk[] = [];
  for (const section of documentSections(doc)) {
    const units = sectionUnits(doc.text, section, maxTokens, count);
    for (const group of pack(units, maxTokens, overlapTokens)) {
      const start = group[0]!.start;
      const end = group.at(-1)!.end;
      chunks.push({
        text: doc.text.slice(start, end),
        start,
        end,
        page: section.page,
        headingPath: section.headingPath,
        tokens: group.reduce((sum, u) => sum + u.tokens, 0),
      });
    }
  }
  return chunks;
}

function sectionUnits(text: string, section: Section, max: number, count: (s: string) => number): Unit[] {
  const units: Unit[] = [];
  for (const paragraph of splitParagraphs(text, section.start, section.end)) {
    const paragraphTokens = count(text.slice(paragraph.start, paragraph.end));
    const sentences =
      paragraphTokens <= max / 4 ? [paragraph] : splitSentences(text, paragraph.start, paragraph.end);
    for (const sentence of sentences) {
      const tokens =
        sentences.length === 1 ? paragraphTokens : count(text.slice(sentence.start, sentence.end));
      const pieces = tokens > max ? splitWords(text, sentence, max, count) : [sentence];
      for (const piece of pieces) {
        units.push({
          ...piece,
          tokens: pieces.length === 1 ? tokens : count(text.slice(piece.start, piece.end)),
          paragraphEnd: false,
        });
      }
    }
    if (units.length > 0) units.at(-1)!.paragraphEnd = true;
  }
  return units;
}

/**
 * Greedy packing with paragraph-aware cuts and sentence-granular overlap. When a chunk is cut at an
 * earlier paragraph break, the units after the cut are fed again, so nothing is dropped.
 */
function pack(units: Unit[], max: number, overlap: number): Unit[][] {
  const groups: Unit[][] = [];
  let current: Unit[] = [];
  let tokens = 0;
  let repeated = 0; // leading units of `current` that repeat the previous chunk (overlap)
  let emittedUpTo = -1; // index of the last unit inside an emitted chunk
  let i = 0;
  while (i < units.length) {
    const unit = units[i]!;
    if (current.length > repeated && tokens + unit.tokens > max) {
      let cut = current.length;
      let sum = 0;
      for (let j = 0; j < current.length - 1; j++) {
        sum += current[j]!.tokens;
        if (j >= repeated && current[j]!.paragraphEnd && sum >= max / 2) cut = j + 1;
      }
      const emitted = current.slice(0, cut);
      groups.push(emitted);
      i -= current.length - cut; // feed the units after the cut again
      emittedUpTo = i - 1;
      current = [];
      tokens = 0;
      for (let j = emitted.length - 1; j > 0; j--) {
        if (tokens + emitted[j]!.tokens > overlap) break;
        current.unshift(emitted[j]!);
        tokens += emitted[j]!.tokens;
      }
      while (current.length > 0 && tokens + units[i]!.tokens > max) tokens -= current.shift()!.tokens;
      repeated = current.length;
      continue;
    }
    current.push(unit);
    tokens += unit.tokens;
    i++;
  }
  if (current.length > repeated && units.length - 1 > emittedUpTo) groups.push(current);
  return groups;
}
