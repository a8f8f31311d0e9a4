/**
 * Turns an article's DOM into plain text with the structure a chunker needs: blocks separated by
 * blank lines, list items on their own lines, table cells separated by " | ", and every heading
 * recorded with its level and offset. Whitespace inside inline text collapses as a browser shows it;
 * `<pre>` keeps its own.
 */
import type { Heading } from './loaded-document.js';

const BLOCK = new Set([
  'ADDRESS',
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'DD',
  'DETAILS',
  'DIV',
  'DL',
  'DT',
  'FIELDSET',
  'FIGCAPTION',
  'FIGURE',
  'FOOTER',
  'FORM',
  'HEADER',
  'HR',
  'MAIN',
  'NAV',
  'OL',
  'P',
  'SECTION',
  'SUMMARY',
  'TABLE',
  'UL',
  'CAPTION',
  'THEAD',
  'TBODY',
  'TFOOT',
]);
const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'IFRAME', 'BUTTON', 'SELECT']);
const HEADING = /^H([1-6])$/;

export interface HtmlText {
  text: string;
  headings: Heading[];
}

export function htmlToText(root: Node): HtmlText {
  let out = '';
  // 0: nothing pending, 1: a line break, 2: a blank line — the strongest pending break wins.
  let pending = 0;
  const headings: Heading[] = [];

  const brk = (level: number) => {
    if (out.length > 0) pending = Math.max(pending, level);
  };
  const flush = () => {
    if (pending === 0) return;
    out = out.replace(/[ \t]+$/, '') + (pending === 2 ? '\n\n' : '\n');
    pending = 0;
  };
  const write = (piece: string) => {
    if (pending > 0 || out.length === 0 || out.endsWith('\n')) piece = piece.replace(/^[ \t]+/, '');
    if (piece.length === 0) return;
    flush();
    // Collapsed whitespace never doubles up across inline element boundaries.
    if (out.endsWith(' ') && piece.startsWith(' ')) piece = piece.slice(1);
    out += piece;
  };

  const walk = (node: Node, pre: boolean) => {
    if (node.nodeType === 3) {
      const value = node.nodeValue ?? '';
      write(pre ? value : value.replace(/\s+/g, ' '));
      return;
    }
    if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) return;
    const el = node as Element;
    const tag = node.nodeType === 1 ? el.tagName.toUpperCase() : '';
    if (SKIP.has(tag) || (node.nodeType === 1 && el.getAttribute('hidden') !== null)) return;
    const heading = HEADING.exec(tag);
    if (heading) {
      const title = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
      if (!title) return;
      brk(2);
      flush(); // so the recorded offset is where the heading text starts
      headings.push({ level: Number(heading[1]), title, start: out.length });
      write(title);
      brk(2);
      return;
    }
    if (tag === 'BR') {
      brk(1);
      return;
    }
    if (tag === 'LI') {
      brk(1);
      write('- ');
    } else if (tag === 'TR') brk(1);
    else if (
      (tag === 'TD' || tag === 'TH') &&
      !out.endsWith('\n') &&
      pending === 0 &&
      el.previousElementSibling
    )
      write(' | ');
    else if (BLOCK.has(tag) || tag === 'PRE') brk(2);
    for (let child = node.firstChild; child; child = child.nextSibling) walk(child, pre || tag === 'PRE');
    if (BLOCK.has(tag) || tag === 'PRE') brk(2);
    else if (tag === 'LI' || tag === 'TR') brk(1);
  };

  walk(root, false);
  return { text: out.replace(/\s+$/, ''), headings };
}
