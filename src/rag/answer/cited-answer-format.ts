/**
 * The answer format Conduit asks models for, and its parser: prose with inline markers `[1]`, `[2][3]`
 * or `[1, 2]`, then a `QUOTES:` line followed by one `[n] "verbatim excerpt"` line per cited source.
 * Keeping the quotes after the prose lets the prose stream to a reader while the quotes, which only
 * a checker needs, are held back (see quote-stream-filter.ts).
 */

export const NOT_FOUND_ANSWER = 'Not found in the documents.';
export const QUOTES_HEADER = 'QUOTES:';

export const ANSWER_RULES = `Rules:
- Use only the numbered sources. Never use prior knowledge.
- End every sentence that states something from the sources with its source number(s) in square brackets, e.g. [1] or [2][3].
- If the sources do not contain the answer, reply with exactly: ${NOT_FOUND_ANSWER}
- After the answer, write a line with only ${QUOTES_HEADER} and then, for each source you cited, one line:
  [n] "the exact words from source n that support your answer"
  Copy each quote character for character from the source. Keep it short: one sentence or less.`;

/** A line that starts the quotes block: `QUOTES:`, `**Quotes:**`, `## Quotes`. */
export const QUOTES_LINE = /^[ \t>*_#]*quotes[ \t]*:?[ \t*_]*$/im;

export interface ParsedAnswer {
  /** The prose, without the quotes block. */
  answer: string;
  /** Quotes by source number, in the order given. */
  quotes: Map<number, string[]>;
}

export function parseCitedAnswer(text: string): ParsedAnswer {
  const match = QUOTES_LINE.exec(text);
  const answer = (match ? text.slice(0, match.index) : text).trim();
  const quotes = new Map<number, string[]>();
  if (match) {
    const block = text.slice(match.index + match[0].length);
    const line = /^\s*[-*]?\s*\[(\d+)\]\s*[:\-–]?\s*(.+?)\s*$/gm;
    for (let m = line.exec(block); m; m = line.exec(block)) {
      const n = Number(m[1]);
      const quote = m[2]!.trim().replace(/^["“'‘]|["”'’]$/g, '');
      if (!quote) continue;
      quotes.set(n, [...(quotes.get(n) ?? []), quote]);
    }
  }
  return { answer, quotes };
}

export interface Marker {
  n: number;
  /** Offset of the `[` in the answer. */
  index: number;
}

/** Every source number cited in the prose, in order of appearance (`[1]`, `[2][3]`, `[1, 2]`). */
export function citationMarkers(answer: string): Marker[] {
  const out: Marker[] = [];
  const marker = /\[(\d+(?:\s*[,;]\s*\d+)*)\]/g;
  for (let m = marker.exec(answer); m; m = marker.exec(answer)) {
    for (const part of m[1]!.split(/[,;]/)) out.push({ n: Number(part.trim()), index: m.index });
  }
  return out;
}

/** True when the model declined: its answer is (or begins with) "Not found in the documents". */
export function isRefusal(answer: string): boolean {
  return /^\W*not found in the (provided )?(documents|sources)\b/i.test(answer.trim());
}
