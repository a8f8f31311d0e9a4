/**
 * Streams an answer's prose and holds back its quotes block. Text is released as it arrives, except
 * a partial last line that could still become the `QUOTES:` header, and trailing whitespace (so the
 * reader does not see blank lines that belonged to the block). Once the header line is complete,
 * everything after it is withheld.
 */
import { QUOTES_LINE } from './cited-answer-format.js';

export interface QuoteStreamFilter {
  /** Adds a delta; returns the text that may be shown now. */
  push(delta: string): string;
  /** Ends the stream; returns what was still held back (minus a header and what follows it). */
  end(): string;
}

export function createQuoteStreamFilter(): QuoteStreamFilter {
  let full = '';
  let shown = 0;
  let stopped = false;

  const release = (upTo: number): string => {
    if (upTo <= shown) return '';
    const out = full.slice(shown, upTo);
    shown = upTo;
    return out;
  };

  return {
    push(delta) {
      if (stopped) return '';
      full += delta;
      const lastNewline = full.lastIndexOf('\n');
      const complete = full.slice(0, lastNewline + 1);
      const header = QUOTES_LINE.exec(complete);
      if (header) {
        stopped = true;
        return release(full.slice(0, header.index).trimEnd().length);
      }
      const partial = full.slice(lastNewline + 1);
      const candidate = partial.replace(/^[ \t>*_#]+/, '').toLowerCase();
      const mayBeHeader =
        'quotes'.startsWith(candidate.trimEnd()) || /^quotes[ \t]*:?[ \t*_]*$/.test(candidate);
      const holdFrom = mayBeHeader ? lastNewline + 1 : full.length;
      return release(full.slice(0, holdFrom).trimEnd().length);
    },
    end() {
      if (stopped) return '';
      stopped = true;
      const header = QUOTES_LINE.exec(full);
      return release((header ? full.slice(0, header.index) : full).trimEnd().length);
    },
  };
}
