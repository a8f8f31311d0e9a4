/**
 * Locates a quoted span inside a source text and returns its exact offsets. Models copy text with
 * small drift — curly vs straight quotes, different dashes, case, line breaks inside the span, an
 * ellipsis for an omitted middle — so matching is tried exactly, then with those differences folded,
 * then ignoring punctuation. The span returned is always the source's own text, never the model's.
 */

export interface QuoteMatch {
  start: number;
  end: number;
  /** 'exact': verbatim; 'normalized': equal up to case, whitespace, quote/dash style or punctuation. */
  kind: 'exact' | 'normalized';
}

/** Shorter quotes match almost anywhere and prove nothing. */
export const MIN_QUOTE_CHARS = 8;

const FOLD: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201B': "'",
  '\u2032': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u201F': '"',
  '\u2033': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u00A0': ' ',
  '\u2026': '...',
};

interface Folded {
  text: string;
  /** Offset in the original text of each folded character. */
  map: number[];
}

function fold(text: string, loose: boolean): Folded {
  let out = '';
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = FOLD[text[i]!] ?? text[i]!.toLowerCase();
    if (loose && !/[\p{L}\p{N}]/u.test(c)) c = ' ';
    if (/\s/.test(c)) {
      if (out.length === 0 || out.endsWith(' ')) continue;
      c = ' ';
    }
    for (const ch of c) {
      out += ch;
      map.push(i);
    }
  }
  return { text: out, map };
}

export function findQuote(source: string, quote: string): QuoteMatch | null {
  const trimmed = quote
    .trim()
    .replace(/^["'“”‘’]+|["'“”‘’]+$/g, '')
    .trim();
  if (trimmed.length < MIN_QUOTE_CHARS && trimmed !== source.trim()) return null;
  const exact = source.indexOf(trimmed);
  if (exact >= 0) return { start: exact, end: exact + trimmed.length, kind: 'exact' };
  for (const loose of [false, true]) {
    const match = foldedMatch(source, trimmed, loose);
    if (match) return match;
  }
  return null;
}

/** Matches each part of a quote (split at ellipses) in order; the span runs from first to last part. */
function foldedMatch(source: string, quote: string, loose: boolean): QuoteMatch | null {
  const haystack = fold(source, loose);
  const parts = quote
    .split(/\.\.\.|…|\[\.\.\.\]/)
    .map((part) => fold(part, loose).text.trim())
    .filter((part) => part.length > 0);
  if (parts.length === 0 || parts.join('').replace(/\s/g, '').length < MIN_QUOTE_CHARS / 2) return null;
  let from = 0;
  let start = -1;
  let end = -1;
  for (const part of parts) {
    const at = haystack.text.indexOf(part, from);
    if (at < 0) return null;
    if (start < 0) start = at;
    end = at + part.length;
    from = end;
  }
  return { start: haystack.map[start]!, end: haystack.map[end - 1]! + 1, kind: 'normalized' };
}
