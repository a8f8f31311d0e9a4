/**
 * HTTP requests that `fetch` will not send, for hostile-input tests: any bytes as the body (invalid
 * UTF-8), a body sent in chunks (`transfer-encoding: chunked`, no content-length), any header size,
 * and, through a raw socket, request bytes that are not HTTP at all (a bad request line, a
 * malformed chunk size, conflicting length headers).
 *
 * @example
 * const r = await rawRequest(url, { method: 'POST', path: '/v1/chat/completions', body: Buffer.from([0xff]) });
 * const line = await rawSocket(url, 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n');
 */
import { request } from 'node:http';
import { connect } from 'node:net';

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent as is; with `chunks`, sent as that many chunks (chunked transfer encoding). */
  body?: string | Buffer;
  /** Split the body into this many writes with no content-length, so it goes out chunked. */
  chunks?: number;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: error bodies are read field by field by the tests
  json: any;
}

/** One request through node:http: the response's status, headers and body (JSON parsed when it is). */
export function rawRequest(baseUrl: string, options: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const body = typeof options.body === 'string' ? Buffer.from(options.body) : options.body;
  const headers: Record<string, string> = { ...options.headers };
  if (body && !options.chunks && !hasHeader(headers, 'content-length'))
    headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method,
        path: options.path,
        headers,
        agent: false,
        // Hostile tests send headers past node's default client limit too.
        maxHeaderSize: 1024 * 1024,
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    // A server that refuses early (413) may close before the whole body is written.
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET'
        ? resolve({ status: 0, headers: {}, text: `connection closed: ${error.code}`, json: undefined })
        : reject(error),
    );
    if (!body) {
      req.end();
      return;
    }
    if (!options.chunks) {
      req.end(body);
      return;
    }
    const size = Math.ceil(body.length / options.chunks);
    let offset = 0;
    const writeNext = () => {
      while (offset < body.length) {
        const piece = body.subarray(offset, offset + size);
        offset += size;
        if (!req.write(piece)) {
          req.once('drain', writeNext);
          return;
        }
      }
      req.end();
    };
    writeNext();
  });
}

/**
 * Writes `bytes` on a fresh socket and returns the first final (non-1xx) response once it is
 * complete, or what came back when the server closed the socket or `timeoutMs` passed: its status
 * code (0 if none) and its text from the status line on.
 */
export function rawSocket(
  baseUrl: string,
  bytes: string | Buffer,
  timeoutMs = 5_000,
): Promise<{ status: number; text: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    const parts: Buffer[] = [];
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(finalResponse(Buffer.concat(parts).toString('latin1')));
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (c: Buffer) => {
      parts.push(c);
      if (isComplete(finalResponse(Buffer.concat(parts).toString('latin1')).text)) done();
    });
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.code === 'EPIPE' ? done() : reject(error),
    );
    socket.write(bytes);
  });
}

/** The response after any interim (1xx) ones. */
function finalResponse(text: string): { status: number; text: string } {
  let rest = text;
  for (;;) {
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(rest);
    if (!status) return { status: 0, text: rest };
    const end = rest.indexOf('\r\n\r\n');
    if (status[1]!.startsWith('1') && end >= 0) {
      rest = rest.slice(end + 4);
      continue;
    }
    return { status: Number(status[1]), text: rest };
  }
}

/** Whether `text` holds a whole response: headers, then content-length bytes or the last chunk. */
function isComplete(text: string): boolean {
  if (!/^HTTP\/1\.[01] [2-5]\d\d/.test(text)) return false;
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const head = text.slice(0, end).toLowerCase();
  const body = text.slice(end + 4);
  const length = /\r\ncontent-length: *(\d+)/.exec(head);
  if (length) return Buffer.byteLength(body, 'latin1') >= Number(length[1]);
  if (/\r\ntransfer-encoding: *chunked/.test(head)) return /(^|\r\n)0\r\n\r\n$/.test(body);
  return false; // until the server closes the connection
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}
