/**
 * PDF: text per page through pdf.js (the legacy build, which runs in Node), with page spans so every
 * chunk knows its page. Lines are rebuilt from pdf.js's end-of-line flags, and a vertical gap wider
 * than a line marks a paragraph break, which the chunker uses as structure. Encrypted PDFs and PDFs
 * without a text layer (scans) fail with a reason instead of producing an empty document.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ConduitError } from '../../core/errors.js';
import { importOptional } from '../../core/optional-import.js';
import type { SourceInfo } from './load-text.js';
import type { LoadedDocument, PageSpan } from './loaded-document.js';
import { titleFromName } from './normalize-text.js';

interface TextItem {
  str: string;
  hasEOL: boolean;
  transform: number[];
  height: number;
}

const require = createRequire(import.meta.url);
let standardFonts: string | undefined;

export async function loadPdf(data: Uint8Array, info: SourceInfo): Promise<LoadedDocument> {
  const pdfjs = await importOptional(
    'pdfjs-dist',
    'PDF documents',
    () => import('pdfjs-dist/legacy/build/pdf.mjs'),
  );
  standardFonts ??= `${join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;
  // pdf.js takes ownership of (detaches) the buffer it is given; hand it a copy.
  const task = pdfjs.getDocument({
    data: new Uint8Array(data),
    isEvalSupported: false,
    disableFontFace: true,
    standardFontDataUrl: standardFonts,
    verbosity: 0,
  });
  let pdf: Awaited<typeof task.promise>;
  try {
    pdf = await task.promise;
  } catch (error) {
    const name = (error as Error)?.name;
    if (name === 'PasswordException')
      throw new ConduitError('unprocessable', 'encrypted PDF (a password is required to read it)');
    throw new ConduitError('unprocessable', `not a readable PDF: ${(error as Error)?.message ?? error}`);
  }
  try {
    let text = '';
    const pages: PageSpan[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      const pageText = itemsToText(content.items as TextItem[]);
      page.cleanup();
      if (!pageText) continue;
      if (text) text += '\n\n';
      pages.push({ page: n, start: text.length, end: text.length + pageText.length });
      text += pageText;
    }
    if (!text)
      throw new ConduitError(
        'unprocessable',
        `no extractable text in ${pdf.numPages} page(s): image-only or scanned PDF (OCR is not supported)`,
      );
    const meta = (await pdf.getMetadata().catch(() => null))?.info as Record<string, unknown> | undefined;
    const title = typeof meta?.Title === 'string' && meta.Title.trim() ? meta.Title.trim() : null;
    return {
      id: info.id,
      uri: info.uri,
      title: title ?? titleFromName(info.name),
      format: 'pdf',
      text,
      headings: [],
      pages,
      metadata: { ...info.metadata, format: 'pdf', page_count: pdf.numPages },
    };
  } finally {
    await pdf.destroy();
  }
}

/** Joins a page's text items into lines, and lines into paragraphs where the vertical gap is wide. */
function itemsToText(items: readonly TextItem[]): string {
  let out = '';
  let lineY: number | null = null;
  let lineHeight = 0;
  let endOfLine = false;
  for (const item of items) {
    if (typeof item.str !== 'string') continue;
    const y = item.transform[5] ?? 0;
    const height = item.height || Math.abs(item.transform[3] ?? 0) || lineHeight;
    if (endOfLine && item.str.trim()) {
      const gap = lineY === null ? 0 : Math.abs(lineY - y);
      out = out.replace(/[ \t]+$/, '');
      out += gap > Math.max(lineHeight, height) * 1.6 ? '\n\n' : '\n';
      endOfLine = false;
    }
    if (item.str) {
      out += out.endsWith(' ') && item.str.startsWith(' ') ? item.str.slice(1) : item.str;
      if (item.str.trim()) {
        lineY = y;
        lineHeight = height || lineHeight;
      }
    }
    if (item.hasEOL) endOfLine = true;
  }
  return out.replace(/[ \t]+\n/g, '\n').trim();
}
