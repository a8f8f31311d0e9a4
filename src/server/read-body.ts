/**
 * Reads a JSON request body with a size limit: 413 past the limit, 400 naming the problem when the
 * body is not JSON.
 */
import type { IncomingMessage } from 'node:http';
import { ConduitError } from '../core/errors.js';

export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    throw new ConduitError(
      'payload_too_large',
      `Request body of ${declared} bytes exceeds the limit of ${limitBytes} bytes`,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      throw new ConduitError('payload_too_large', `Request body exceeds the limit of ${limitBytes} bytes`);
    }
    chunks.push(chunk);
  }
  const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new ConduitError('bad_request', 'Request body is empty: send a JSON object');
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ConduitError('bad_request', `Request body is not valid JSON: ${(cause as Error).message}`, {
      cause,
    });
  }
}

/** Reads a raw request body (an uploaded document) with a size limit. */
export async function readRawBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      throw new ConduitError('payload_too_large', `Upload exceeds the limit of ${limitBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
