/**
 * Loads one source — a file, a URL or bytes handed over by a caller (an HTTP upload) — into
 * documents, choosing the loader by extension or Content-Type. Heavy loaders (jsdom, pdf.js) are
 * imported only when a source of their format shows up.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConduitError } from '../../core/errors.js';
import { type FetchUrlOptions, fetchUrl } from './fetch-url.js';
import { type JsonlFields, loadJsonl } from './load-jsonl.js';
import { loadMarkdown } from './load-markdown.js';
import { loadText, type SourceInfo } from './load-text.js';
import {
  type DocumentFormat,
  formatFromContentType,
  formatFromName,
  type LoadResult,
  SUPPORTED_EXTENSIONS,
} from './loaded-document.js';

export type IngestSource =
  | { kind: 'file'; path: string }
  | { kind: 'url'; url: string }
  | {
      kind: 'data';
      /** File name: names the document and, without `format`, picks the loader by extension. */
      name: string;
      data: Uint8Array | string;
      format?: DocumentFormat;
      contentType?: string;
      /** Document id; default the name. Ignored for JSONL, whose records carry their own ids. */
      id?: string;
      uri?: string | null;
      title?: string;
      metadata?: Record<string, unknown>;
    };

export interface LoadOptions extends JsonlFields {
  fetch?: FetchUrlOptions;
}

/** A readable name for a source, used in progress output and failure reports. */
export function sourceLabel(source: IngestSource): string {
  return source.kind === 'file' ? source.path : source.kind === 'url' ? source.url : source.name;
}

export async function loadSource(source: IngestSource, options: LoadOptions = {}): Promise<LoadResult> {
  if (source.kind === 'file') {
    const format = formatFromName(source.path);
    if (!format) throw unsupported(source.path);
    const data = await readFile(source.path);
    const info = { id: source.path, uri: pathToFileURL(source.path).href, name: basename(source.path) };
    return loadFormat(format, data, { ...info, metadata: { source: source.path } }, options);
  }
  if (source.kind === 'url') {
    const fetched = await fetchUrl(source.url, options.fetch);
    const path = new URL(fetched.url).pathname;
    const format = formatFromContentType(fetched.contentType) ?? formatFromName(path) ?? 'html';
    const info = { id: source.url, uri: fetched.url, name: basename(path) || new URL(fetched.url).hostname };
    return loadFormat(format, fetched.data, { ...info, metadata: { source: source.url } }, options);
  }
  const format = source.format ?? formatFromContentType(source.contentType) ?? formatFromName(source.name);
  if (!format) throw unsupported(source.name);
  const info: SourceInfo = {
    id: source.id ?? source.name,
    uri: source.uri ?? null,
    name: source.name,
    metadata: { ...source.metadata, source: source.uri ?? source.name },
  };
  const result = await loadFormat(format, source.data, info, options);
  if (source.title) for (const doc of result.documents) doc.title = source.title;
  return result;
}

async function loadFormat(
  format: DocumentFormat,
  data: Uint8Array | string,
  info: SourceInfo,
  options: LoadOptions,
): Promise<LoadResult> {
  switch (format) {
    case 'text':
      return { documents: [loadText(data, info)], failures: [] };
    case 'markdown':
      return { documents: [loadMarkdown(data, info)], failures: [] };
    case 'jsonl':
      return loadJsonl(data, info, options);
    case 'html': {
      const { loadHtml } = await import('./load-html.js');
      return { documents: [await loadHtml(data, info)], failures: [] };
    }
    case 'pdf': {
      const { loadPdf } = await import('./load-pdf.js');
      const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
      return { documents: [await loadPdf(bytes, info)], failures: [] };
    }
  }
}

function unsupported(name: string): ConduitError {
  return new ConduitError(
    'unprocessable',
    `unsupported file type; Conduit loads ${SUPPORTED_EXTENSIONS.join(' ')}`,
    { param: name },
  );
}
