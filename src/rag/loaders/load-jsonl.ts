/**
 * JSON Lines: one document per line. `idField`, `textField` and `titleField` pick the fields (dots
 * reach into nested objects); every other field is kept as metadata, so it can be filtered on. A bad
 * line fails alone, with its line number, and the rest of the file still loads.
 */
import type { SourceInfo } from './load-text.js';
import type { LoadedDocument, LoadFailure, LoadResult } from './loaded-document.js';
import { decodeUtf8, normalizeNewlines } from './normalize-text.js';

export interface JsonlFields {
  /** Default: `id`, then `_id`; a record without one is named after its line. */
  idField?: string;
  /** Default: `text`, then `content`, then `body`. */
  textField?: string;
  /** Default: `title`. */
  titleField?: string;
}

const DEFAULT_ID = ['id', '_id'];
const DEFAULT_TEXT = ['text', 'content', 'body'];
const DEFAULT_TITLE = ['title'];

export function loadJsonl(data: Uint8Array | string, info: SourceInfo, fields: JsonlFields = {}): LoadResult {
  const source = typeof data === 'string' ? data : decodeUtf8(data);
  const idFields = fields.idField ? [fields.idField] : DEFAULT_ID;
  const textFields = fields.textField ? [fields.textField] : DEFAULT_TEXT;
  const titleFields = fields.titleField ? [fields.titleField] : DEFAULT_TITLE;
  const documents: LoadedDocument[] = [];
  const failures: LoadFailure[] = [];
  const seen = new Set<string>();
  const lines = source.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    const where = `${info.name}:${line}`;
    if (!raw.trim()) continue;
    let record: unknown;
    try {
      record = JSON.parse(raw);
    } catch (error) {
      failures.push({ source: where, reason: `invalid JSON: ${(error as Error).message}` });
      continue;
    }
    if (!record || typeof record !== 'object' || Array.isArray(record)) {
      failures.push({ source: where, reason: 'a line must hold a JSON object' });
      continue;
    }
    const obj = record as Record<string, unknown>;
    const text = pick(obj, textFields);
    if (typeof text.value !== 'string') {
      failures.push({
        source: where,
        reason: `no string field ${textFields.map((f) => `"${f}"`).join(' or ')}`,
      });
      continue;
    }
    const idValue = pick(obj, idFields);
    if (fields.idField && !isIdLike(idValue.value)) {
      failures.push({ source: where, reason: `no string or number field "${fields.idField}"` });
      continue;
    }
    const id = isIdLike(idValue.value) ? String(idValue.value) : `${info.id}#L${line}`;
    if (seen.has(id)) {
      failures.push({ source: where, reason: `duplicate id "${id}" (an earlier line has it)` });
      continue;
    }
    seen.add(id);
    const title = pick(obj, titleFields);
    const metadata = omit(obj, [idValue.field, text.field, title.field]);
    const link = typeof obj.url === 'string' ? obj.url : typeof obj.uri === 'string' ? obj.uri : null;
    documents.push({
      id,
      // No line number in the uri or metadata: inserting a line above must not make every record
      // look changed (and be re-embedded) on the next incremental ingest.
      uri: link ?? info.uri,
      title: typeof title.value === 'string' || typeof title.value === 'number' ? String(title.value) : null,
      format: 'jsonl',
      text: normalizeNewlines(text.value),
      headings: [],
      pages: [],
      metadata: { ...metadata, ...info.metadata, format: 'jsonl' },
    });
  }
  return { documents, failures };
}

function isIdLike(value: unknown): value is string | number {
  return (
    (typeof value === 'string' && value.length > 0) || (typeof value === 'number' && Number.isFinite(value))
  );
}

function pick(obj: Record<string, unknown>, fields: string[]): { field?: string; value: unknown } {
  for (const field of fields) {
    let value: unknown = obj;
    for (const key of field.split('.')) {
      value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    }
    if (value !== undefined && value !== null) return { field, value };
  }
  return { value: undefined };
}

/** A copy without the picked fields (top-level keys only: nested picks stay in their parent object). */
function omit(obj: Record<string, unknown>, fields: (string | undefined)[]): Record<string, unknown> {
  const out = { ...obj };
  for (const field of fields) if (field && !field.includes('.')) delete out[field];
  return out;
}
