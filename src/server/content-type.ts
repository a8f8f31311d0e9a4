/**
 * JSON routes accept only `application/json` bodies. Browsers send `text/plain`, form encodings and
 * untyped blobs cross-site without asking (no CORS preflight); requiring JSON's own media type means a
 * web page cannot make a browser post to the gateway unless CORS allows it.
 */
import type { IncomingMessage } from 'node:http';
import { ConduitError } from '../core/errors.js';

/** `application/json`, or a `+json` type such as `application/merge-patch+json`, with any parameters. */
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

export function requireJsonContentType(req: IncomingMessage): void {
  const type = req.headers['content-type'];
  if (typeof type === 'string' && JSON_TYPE.test(type.trim())) return;
  const shown = typeof type === 'string' && type ? `"${type.slice(0, 100)}"` : 'none';
  throw new ConduitError(
    'unsupported_media_type',
    `Content-Type must be application/json (got ${shown}): send the body as JSON with "Content-Type: application/json"`,
    { param: 'content-type' },
  );
}
