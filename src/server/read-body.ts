/**
 * Reads a JSON request body with a size limit: 413 past the limit, 400 naming the problem when the
 * body is not JSON.
 */
import type { IncomingMessage } from 'node:http';
import { ConduitError } from '../core/errors.js';

/** Deepest `[`/`{` nesting a JSON body may have; deeper ones would overflow the parser's stack. */
export const MAX_JSON_DEPTH = 64;

/** Throws a 400 when `text` nests arrays/objects deeper than `maxDepth` (brackets inside strings don't count). */
export function checkJsonDepth(text: string, maxDepth = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) {
        throw new ConduitError(
          'bad_request',
          `Request body nests arrays/objects more than ${maxDepth} levels deep`,
          { param: 'body' },
        );
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

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
  return parseJsonBody(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
}

// fatal: JSON exchanged between systems must be UTF-8 (RFC 8259); a lenient decode would turn the
// bad bytes into U+FFFD and send the model something the client never wrote.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** A JSON request body's bytes → its value: a 400 on `body` naming what is wrong (encoding, depth, syntax). */
export function parseJsonBody(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (cause) {
    throw new ConduitError('bad_request', 'Request body is not valid UTF-8: send JSON encoded as UTF-8', {
      param: 'body',
      cause,
    });
  }
  if (text.trim() === '')
    throw new ConduitError('bad_request', 'Request body is empty: send a JSON object', { param: 'body' });
  checkJsonDepth(text);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ConduitError('bad_request', `Request body is not valid JSON: ${(cause as Error).message}`, {
      param: 'body',
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
