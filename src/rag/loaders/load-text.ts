/**
 * Plain text: the file's text as-is (newlines normalised), titled after the file name.
 */
import type { LoadedDocument } from './loaded-document.js';
import { decodeUtf8, normalizeNewlines, titleFromName } from './normalize-text.js';

export interface SourceInfo {
  id: string;
  uri: string | null;
  /** File or URL name, for a fallback title. */
  name: string;
  metadata?: Record<string, unknown>;
}

export function loadText(data: Uint8Array | string, info: SourceInfo): LoadedDocument {
  const text = normalizeNewlines(typeof data === 'string' ? data : decodeUtf8(data));
  return {
    id: info.id,
    uri: info.uri,
    title: titleFromName(info.name),
    format: 'text',
    text,
    headings: [],
    pages: [],
    metadata: { ...info.metadata, format: 'text' },
  };
}
