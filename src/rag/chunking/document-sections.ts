/**
 * Cuts a document into sections at its headings and page boundaries, each carrying its heading path
 * (`['Handbook', 'Leave', 'Parental leave']`) and page. Chunks never cross a section, so every chunk
 * has one heading path and one page, and a citation's page is exact.
 */
import type { Heading, LoadedDocument } from '../loaders/loaded-document.js';
import { trimRange } from './split-text.js';

export interface Section {
  start: number;
  end: number;
  headingPath: string[];
  page: number | null;
}

export function documentSections(doc: Pick<LoadedDocument, 'text' | 'headings' | 'pages'>): Section[] {
  const spans =
    doc.pages.length > 0
      ? doc.pages.map((p) => ({ start: p.start, end: p.end, page: p.page as number | null }))
      : [{ start: 0, end: doc.text.length, page: null }];
  const headings = [...doc.headings].sort((a, b) => a.start - b.start);
  const raw: Section[] = [];
  const stack: Heading[] = [];
  let next = 0;
  for (const span of spans) {
    let from = span.start;
    const path = () => stack.map((h) => h.title);
    // Headings that start before this span still shape its path.
    while (next < headings.length && headings[next]!.start < span.start) push(stack, headings[next++]!);
    while (next < headings.length && headings[next]!.start < span.end) {
      const heading = headings[next++]!;
      if (heading.start > from)
        raw.push({ start: from, end: heading.start, headingPath: path(), page: span.page });
      push(stack, heading);
      from = heading.start;
    }
    raw.push({ start: from, end: span.end, headingPath: path(), page: span.page });
  }
  return mergeHeadingOnly(doc.text, raw, headings);
}

function push(stack: Heading[], heading: Heading): void {
  while (stack.length > 0 && stack.at(-1)!.level >= heading.level) stack.pop();
  stack.push(heading);
}

/**
 * A section that holds nothing but its heading line joins the section after it on the same page, so
 * "## Leave" directly followed by "### Parental leave" does not become a chunk of two words.
 */
function mergeHeadingOnly(text: string, sections: Section[], headings: Heading[]): Section[] {
  const starts = new Set(headings.map((h) => h.start));
  const out: Section[] = [];
  let carry: Section | null = null;
  for (const section of sections) {
    const trimmed = trimRange(text, section.start, section.end);
    if (!trimmed) continue;
    const merged: Section =
      carry && carry.page === section.page ? { ...section, start: carry.start } : section;
    if (carry && carry.page !== section.page) out.push(carry);
    carry = null;
    const firstLineEnd = text.indexOf('\n', trimmed.start);
    const bodyAfterHeading =
      starts.has(section.start) &&
      trimRange(text, firstLineEnd < 0 ? trimmed.end : firstLineEnd, trimmed.end);
    if (starts.has(section.start) && !bodyAfterHeading) carry = merged;
    else out.push(merged);
  }
  if (carry) out.push(carry);
  return out;
}
