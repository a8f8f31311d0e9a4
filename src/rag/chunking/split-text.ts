/**
 * The structural splits the chunker recurses through, as character ranges into the document text:
 * paragraphs (blank lines), sentences (terminal punctuation, list items), and words for sentences
 * too long to keep whole. Ranges are trimmed of surrounding whitespace so a chunk never starts or
 * ends in the middle of a gap.
 */

export interface TextRange {
  start: number;
  end: number;
}

/** Trims whitespace off both ends of a range; null when nothing is left. */
export function trimRange(text: string, start: number, end: number): TextRange | null {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return start < end ? { start, end } : null;
}

/** Paragraphs: runs of text separated by at least one blank line. */
export function splitParagraphs(text: string, start: number, end: number): TextRange[] {
  const out: TextRange[] = [];
  const gap = /\n[ \t]*\n\s*/g;
  gap.lastIndex = start;
  let from = start;
  for (let m = gap.exec(text); m && m.index < end; m = gap.exec(text)) {
    const range = trimRange(text, from, m.index);
    if (range) out.push(range);
    from = m.index + m[0].length;
  }
  const last = trimRange(text, from, end);
  if (last) out.push(last);
  return out;
}

const SENTENCE_END = /[.!?…。！？]+["'”’)\]]*(?=\s|$)|\n(?=[ \t]*(?:[-*+•]|\d+[.)])\s)/g;
// Abbreviations and initials whose period does not end a sentence.
const ABBREVIATION =
  /(?:^|[\s(])(?:e\.g|i\.e|etc|vs|mr|mrs|ms|dr|prof|sr|jr|st|fig|figs|no|vol|pp|cf|al|approx|inc|ltd|co|eq|ref|sec|ch|[A-Z])$/i;

/** Sentences of a paragraph (or list items, which count as sentences). */
export function splitSentences(text: string, start: number, end: number): TextRange[] {
  const out: TextRange[] = [];
  const segment = text.slice(start, end);
  SENTENCE_END.lastIndex = 0;
  let from = 0;
  for (let m = SENTENCE_END.exec(segment); m; m = SENTENCE_END.exec(segment)) {
    const cut = m.index + m[0].length;
    if (m[0] !== '\n') {
      if (m[0].startsWith('.') && ABBREVIATION.test(segment.slice(Math.max(from, m.index - 12), m.index)))
        continue;
      // "approx. three" or "v1.2. next": a lowercase continuation means the sentence goes on.
      if (/^\s+[a-z]/.test(segment.slice(cut, cut + 3))) continue;
    }
    const range = trimRange(text, start + from, start + cut);
    if (range) out.push(range);
    from = cut;
  }
  const last = trimRange(text, start + from, end);
  if (last) out.push(last);
  return out;
}

/**
 * Windows of whole words, each at most `maxTokens` by `count`; a single word longer than that (a
 * URL, a base64 blob) is cut by characters.
 */
export function splitWords(
  text: string,
  range: TextRange,
  maxTokens: number,
  count: (text: string) => number,
): TextRange[] {
  const out: TextRange[] = [];
  const word = /\S+/g;
  word.lastIndex = range.start;
  let windowStart = -1;
  let windowEnd = -1;
  let tokens = 0;
  const flush = () => {
    if (windowStart >= 0) out.push({ start: windowStart, end: windowEnd });
    windowStart = -1;
    tokens = 0;
  };
  for (let m = word.exec(text); m && m.index < range.end; m = word.exec(text)) {
    const end = Math.min(m.index + m[0].length, range.end);
    // +1 approximates the space that joins this word to the previous one.
    const wordTokens = count(text.slice(m.index, end)) + (windowStart >= 0 ? 1 : 0);
    if (wordTokens > maxTokens) {
      flush();
      const step = Math.max(1, Math.floor(((end - m.index) / wordTokens) * maxTokens * 0.9));
      for (let s = m.index; s < end; s += step) out.push({ start: s, end: Math.min(end, s + step) });
      continue;
    }
    if (tokens + wordTokens > maxTokens) flush();
    if (windowStart < 0) windowStart = m.index;
    windowEnd = end;
    tokens += wordTokens;
  }
  flush();
  return out;
}

/**
 * The sentences of a multi-paragraph text (a chunk), leaving out markdown heading lines: a heading
 * names a topic but states nothing, so it is never the passage a citation or an extract should quote.
 */
export function sentencesOf(text: string): TextRange[] {
  return splitParagraphs(text, 0, text.length)
    .flatMap((p) => splitSentences(text, p.start, p.end))
    .filter((s) => !/^#{1,6}\s/.test(text.slice(s.start, s.end)));
}
