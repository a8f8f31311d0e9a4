/**
 * Vector helpers for exact (brute-force) cosine search. Embeddings are stored as raw float32 in the
 * platform's byte order, which is little-endian on every machine Node supports in practice.
 */
import { badRequest } from './checks.js';

export function toFloat32(vector: Float32Array | number[], param: string): Float32Array {
  const out = vector instanceof Float32Array ? new Float32Array(vector) : Float32Array.from(vector);
  if (out.length === 0) throw badRequest(`${param} is empty`, param);
  for (const x of out) if (!Number.isFinite(x)) throw badRequest(`${param} holds a non-finite number`, param);
  return out;
}

export function vectorNorm(vector: Float32Array): number {
  let sum = 0;
  for (const x of vector) sum += x * x;
  return Math.sqrt(sum);
}

/** Cosine similarity given the other vector's norm; 0 against a zero vector rather than NaN. */
export function cosine(
  query: Float32Array,
  queryNorm: number,
  other: Float32Array,
  otherNorm: number,
): number {
  if (queryNorm === 0 || otherNorm === 0) return 0;
  let dot = 0;
  for (let i = 0; i < query.length; i++) dot += (query[i] ?? 0) * (other[i] ?? 0);
  return dot / (queryNorm * otherNorm);
}

export function vectorToBlob(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

export function blobToVector(blob: Uint8Array): Float32Array {
  // A Float32Array view needs 4-byte alignment; copy when the driver handed us an unaligned slice.
  if (blob.byteOffset % 4 === 0) return new Float32Array(blob.buffer, blob.byteOffset, blob.byteLength / 4);
  return new Float32Array(new Uint8Array(blob).buffer);
}

/** Keeps the k best-scoring items seen; k is small, so a sorted array beats a heap. */
export class TopK<T> {
  private readonly items: { score: number; item: T }[] = [];
  constructor(private readonly k: number) {}

  offer(score: number, item: T): void {
    if (this.k <= 0) return;
    const last = this.items[this.items.length - 1];
    if (this.items.length >= this.k && last && score <= last.score) return;
    let i = this.items.length;
    while (i > 0 && (this.items[i - 1]?.score ?? 0) < score) i--;
    this.items.splice(i, 0, { score, item });
    if (this.items.length > this.k) this.items.pop();
  }

  results(): { score: number; item: T }[] {
    return [...this.items];
  }
}
