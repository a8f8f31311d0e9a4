/**
 * Finds the headings of a markdown text: ATX (`## Title`) and setext (a line underlined with `===` or
 * `---`), skipping fenced code blocks so a `# comment` in a shell snippet is not a heading.
 */
import type { Heading } from './loaded-document.js';

const ATX = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_OR_QUOTE = /^ {0,3}([-*+>]|\d+[.)])\s/;

export function markdownHeadings(text: string): Heading[] {
  const headings: Heading[] = [];
  let fence: string | null = null;
  let offset = 0;
  let previous: { text: string; start: number; plain: boolean } | null = null;
  for (const line of text.split('\n')) {
    const start = offset;
    offset += line.length + 1;
    const fenceMatch = FENCE.exec(line);
    if (fence) {
      if (fenceMatch && fenceMatch[1]!.startsWith(fence)) fence = null;
      previous = null;
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1]!.slice(0, 3);
      previous = null;
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      headings.push({ level: atx[1]!.length, title: cleanTitle(atx[2]!), start });
      previous = null;
      continue;
    }
    const setext = SETEXT.exec(line);
    if (setext && previous?.plain) {
      headings.push({
        level: setext[1]!.startsWith('=') ? 1 : 2,
        title: cleanTitle(previous.text),
        start: previous.start,
      });
      previous = null;
      continue;
    }
    const blank = line.trim() === '';
    // A setext underline only belongs to a single paragraph line directly above it.
    previous = blank ? null : { text: line, start, plain: previous === null && !LIST_OR_QUOTE.test(line) };
  }
  return headings;
}

/** Heading text without inline markup, as shown in a heading path. */
function cleanTitle(raw: string): string {
  return raw
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]+/g, '')
    .trim();
}
