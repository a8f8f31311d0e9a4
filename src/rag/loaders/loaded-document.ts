/**
 * What every loader produces: the extracted text of one document plus the structure a citation
 * needs — headings with their offsets, and page spans for paged formats. All offsets are character
 * offsets into `text`, which is stored as the document's full text, so a chunk and a quoted span
 * can always be located exactly.
 */

export type DocumentFormat = 'text' | 'markdown' | 'html' | 'pdf' | 'jsonl';

export interface Heading {
  /** 1 for `#`/`<h1>`, up to 6. */
  level: number;
  title: string;
  /** Offset of the heading's first character in the document text. */
  start: number;
}

export interface PageSpan {
  /** 1-based page number. */
  page: number;
  start: number;
  end: number;
}

export interface LoadedDocument {
  /** Stable id: the absolute path for files, the URL for URLs, the id field for JSONL records. */
  id: string;
  uri: string | null;
  title: string | null;
  format: DocumentFormat;
  text: string;
  headings: Heading[];
  pages: PageSpan[];
  metadata: Record<string, unknown>;
}

/** One record or file that could not be loaded, with a reason a user can act on. */
export interface LoadFailure {
  source: string;
  reason: string;
}

export interface LoadResult {
  documents: LoadedDocument[];
  /** Per-record failures inside a source that otherwise loaded (JSONL lines). */
  failures: LoadFailure[];
}

const EXTENSIONS: Record<string, DocumentFormat> = {
  '.txt': 'text',
  '.text': 'text',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.mdx': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.pdf': 'pdf',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

/** The format a file name implies, or undefined for a type Conduit does not load. */
export function formatFromName(name: string): DocumentFormat | undefined {
  const dot = name.lastIndexOf('.');
  if (dot < 0 || dot < name.lastIndexOf('/')) return undefined;
  return EXTENSIONS[name.slice(dot).toLowerCase()];
}

/** The format an HTTP Content-Type names, or undefined (then the URL's extension decides). */
export function formatFromContentType(contentType: string | null | undefined): DocumentFormat | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!type) return undefined;
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
  if (type === 'application/pdf') return 'pdf';
  if (type === 'text/markdown' || type === 'text/x-markdown') return 'markdown';
  if (type === 'application/x-ndjson' || type === 'application/jsonl' || type === 'application/x-jsonlines')
    return 'jsonl';
  if (type === 'text/plain') return 'text';
  return undefined;
}

export const SUPPORTED_EXTENSIONS = Object.keys(EXTENSIONS);
