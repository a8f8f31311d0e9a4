/**
 * Turns one loaded document into what the store writes: a fingerprint that decides whether it
 * changed, and its chunks with offsets, heading paths and (optionally) the text to embed.
 */
import { createHash } from 'node:crypto';
import { type ChunkOptions, chunkDocument, type DocumentChunk } from '../chunking/chunk-document.js';
import type { LoadedDocument } from '../loaders/loaded-document.js';
import { sourcePath } from '../retrieval/retrieved-chunk.js';

/** Bump when chunking or loading changes in a way that should re-chunk unchanged sources. */
const PIPELINE_VERSION = 1;

/**
 * The document's content hash as stored: SHA-256 over the text, its title, uri and metadata, and
 * the settings that shape its chunks (chunk size, overlap, tokenizer, embedding model). A source
 * whose fingerprint is unchanged is skipped; change any setting and re-ingesting re-chunks it.
 */
export function documentFingerprint(
  doc: LoadedDocument,
  settings: { chunking: ChunkOptions; embeddingModel: string | null },
): string {
  const shape = [
    PIPELINE_VERSION,
    settings.chunking.maxTokens ?? null,
    settings.chunking.overlapTokens ?? null,
    settings.chunking.tokenizer?.name ?? null,
    settings.embeddingModel,
    doc.title,
    doc.uri,
    doc.metadata,
  ];
  return createHash('sha256').update(JSON.stringify(shape)).update('\0').update(doc.text).digest('hex');
}

export function chunksOf(doc: LoadedDocument, chunking: ChunkOptions): DocumentChunk[] {
  return chunkDocument(doc, chunking);
}

/**
 * What is embedded for a chunk: its text behind the document title and heading path, so "Eligibility"
 * under "Parental leave" is embedded as being about parental leave. The stored text stays exact.
 */
export function embeddingInput(doc: Pick<LoadedDocument, 'title'>, chunk: DocumentChunk): string {
  const context = sourcePath(doc.title, chunk.headingPath);
  return context.length > 0 ? `${context.join(' > ')}\n\n${chunk.text}` : chunk.text;
}
