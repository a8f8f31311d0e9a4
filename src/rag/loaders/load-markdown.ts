/**
 * Markdown: the source text is kept as the extracted text (so quotes match what the author wrote),
 * headings give the structure, and YAML front matter becomes metadata and is left out of the text.
 */
import { parse as parseYaml } from 'yaml';
import type { SourceInfo } from './load-text.js';
import type { LoadedDocument } from './loaded-document.js';
import { markdownHeadings } from './markdown-headings.js';
import { decodeUtf8, normalizeNewlines, titleFromName } from './normalize-text.js';

const FRONT_MATTER = /^---\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/;

export function loadMarkdown(data: Uint8Array | string, info: SourceInfo): LoadedDocument {
  let text = normalizeNewlines(typeof data === 'string' ? data : decodeUtf8(data));
  let front: Record<string, unknown> = {};
  const match = FRONT_MATTER.exec(text);
  if (match) {
    front = parseFrontMatter(match[1]!);
    text = text.slice(match[0].length);
  }
  const headings = markdownHeadings(text);
  const firstH1 = headings.find((h) => h.level === 1)?.title;
  const title = typeof front.title === 'string' ? front.title : (firstH1 ?? titleFromName(info.name));
  return {
    id: info.id,
    uri: info.uri,
    title,
    format: 'markdown',
    text,
    headings,
    pages: [],
    metadata: { ...front, ...info.metadata, format: 'markdown' },
  };
}

/** Front matter that is not a YAML mapping (or not YAML at all) is ignored rather than failing the file. */
function parseFrontMatter(source: string): Record<string, unknown> {
  try {
    const value: unknown = parseYaml(source);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      // Dates and other non-JSON values would not survive storage as metadata.
      return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
    }
  } catch {
    // fall through
  }
  return {};
}
