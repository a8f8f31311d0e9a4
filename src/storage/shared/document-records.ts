/**
 * Validates and completes documents and chunks before any adapter writes them, including the rule
 * that every embedding in a collection has the same length.
 */
import { createHash } from 'node:crypto';
import type { ChunkInput, DocumentInput, StoredChunk } from '../ports/document-store.js';
import { badRequest, checkNonEmpty, checkNonNegativeInt, pageLimit } from './checks.js';
import { jsonClone } from './json.js';
import { toFloat32 } from './vectors.js';

export interface DocumentRecord {
  id: string;
  uri: string | null;
  title: string | null;
  contentHash: string;
  metadata: Record<string, unknown>;
  text: string;
}

export interface ChunkRecord extends StoredChunk {
  /** Document metadata overlaid with the chunk's own: what filters test. */
  filterMetadata: Record<string, unknown>;
}

export function toDocumentRecord(input: DocumentInput): DocumentRecord {
  const text = input.text ?? '';
  return {
    id: checkNonEmpty(input.id, 'id'),
    uri: input.uri ?? null,
    title: input.title ?? null,
    contentHash: input.contentHash ?? createHash('sha256').update(text, 'utf8').digest('hex'),
    metadata: jsonClone(input.metadata ?? {}, 'metadata'),
    text,
  };
}

function optionalInt(value: number | null | undefined, param: string): number | null {
  return value === null || value === undefined ? null : checkNonNegativeInt(value, param);
}

export function toChunkRecords(document: DocumentRecord, chunks: ChunkInput[]): ChunkRecord[] {
  const ids = new Set<string>();
  return chunks.map((chunk, ordinal) => {
    const id = chunk.id ?? `${document.id}#${ordinal}`;
    if (ids.has(id)) throw badRequest(`chunk id ${id} appears twice in document ${document.id}`, 'chunks');
    ids.add(id);
    if (typeof chunk.text !== 'string') throw badRequest(`chunk ${id} has no text`, 'chunks');
    const metadata = jsonClone(chunk.metadata ?? {}, 'chunk metadata');
    return {
      id,
      documentId: document.id,
      ordinal,
      text: chunk.text,
      page: optionalInt(chunk.page, 'page'),
      start: optionalInt(chunk.start, 'start'),
      end: optionalInt(chunk.end, 'end'),
      headingPath: [...(chunk.headingPath ?? [])],
      metadata,
      embedding: chunk.embedding ? toFloat32(chunk.embedding, `embedding of chunk ${id}`) : null,
      filterMetadata: { ...document.metadata, ...metadata },
    };
  });
}

/**
 * Returns the collection's dimensions after this write: fixed by the first embedding, after which
 * every embedding must match.
 */
export function checkDimensions(current: number | null, chunks: readonly ChunkRecord[]): number | null {
  let dimensions = current;
  for (const chunk of chunks) {
    if (!chunk.embedding) continue;
    dimensions ??= chunk.embedding.length;
    if (chunk.embedding.length !== dimensions) {
      throw badRequest(
        `embedding of chunk ${chunk.id} has ${chunk.embedding.length} dimensions; the collection uses ${dimensions}`,
        'embedding',
      );
    }
  }
  return dimensions;
}

export function checkQueryVector(vector: Float32Array | number[], dimensions: number | null): Float32Array {
  const query = toFloat32(vector, 'vector');
  if (dimensions !== null && query.length !== dimensions) {
    throw badRequest(
      `query vector has ${query.length} dimensions; the collection uses ${dimensions}`,
      'vector',
    );
  }
  return query;
}

export function searchLimit(k: number | undefined): number {
  return pageLimit(k, 10, 1000);
}

export function checkDimensionsSetting(dimensions: number | null | undefined): number | null {
  if (dimensions === null || dimensions === undefined) return null;
  if (!Number.isInteger(dimensions) || dimensions < 1)
    throw badRequest('dimensions must be a positive integer');
  return dimensions;
}
