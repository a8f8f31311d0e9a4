/**
 * The HTTP side of `conduit pull`: one GET with Range/If-Range, redirects followed by hand (to read
 * the Hub's checksum headers and keep tokens on the Hub's host), a connect timeout that covers the
 * response headers only, and errors that say what to do.
 */
import { ConduitError } from '../../core/errors.js';
import type { ModelSource } from './parse-model-source.js';
import type { PullOptions } from './pull-model.js';

const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNRESET',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

export async function request(
  source: ModelSource,
  offset: number,
  validator: string | undefined,
  options: PullOptions,
): Promise<Response> {
  const headers: Record<string, string> = { 'user-agent': 'conduit-pull' };
  if (offset > 0) {
    headers.range = `bytes=${offset}-`;
    if (validator) headers['if-range'] = validator;
  }
  const token = options.env?.HF_TOKEN ?? process.env.HF_TOKEN;
  if (source.kind === 'huggingface' && token) headers.authorization = `Bearer ${token}`;
  // The connect timeout covers the response headers only; the body may take as long as it takes.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('connect timeout'));
  }, options.connectTimeoutMs ?? 15_000);
  const onAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await followRedirects(source.url, headers, controller.signal, options.fetch ?? fetch);
  } catch (cause) {
    if (options.signal?.aborted) throw new ConduitError('cancelled', 'The download was cancelled', { cause });
    throw unreachable(source, cause, timedOut);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Follows redirects by hand: the Hub's first answer (a redirect to its CDN) carries the file's
 * SHA-256 and size in X-Linked-Etag / X-Linked-Size, which an automatic redirect would hide; and the
 * Authorization header must not travel to another host.
 */
async function followRedirects(
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  fetcher: typeof fetch,
): Promise<Response> {
  const linked = new Headers();
  let current = url;
  for (let hop = 0; hop < 6; hop++) {
    const response = await fetcher(current, { headers, signal, redirect: 'manual' });
    for (const name of ['x-linked-etag', 'x-linked-size']) {
      const value = response.headers.get(name);
      if (value && !linked.has(name)) linked.set(name, value);
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) {
      if (![...linked.keys()].length) return response;
      const merged = new Headers(response.headers);
      for (const [name, value] of linked) if (!merged.has(name)) merged.set(name, value);
      return new Response(response.body, {
        status: response.status,
        statusText: response.statusText,
        headers: merged,
      });
    }
    await response.body?.cancel();
    const next = new URL(location, current);
    if (next.host !== new URL(current).host) delete headers.authorization;
    current = next.toString();
  }
  throw new Error('too many redirects');
}

function unreachable(source: ModelSource, cause: unknown, timedOut: boolean): ConduitError {
  const host = new URL(source.url).host;
  const code =
    (cause as { cause?: { code?: string }; code?: string })?.cause?.code ??
    (cause as { code?: string })?.code;
  const why = timedOut
    ? 'no answer within the connect timeout'
    : code && NETWORK_CODES.has(code)
      ? code
      : ((cause as Error)?.message ?? String(cause));
  return new ConduitError(
    'upstream_error',
    `Cannot reach ${host} (${why}) — this machine looks offline. To use a GGUF file you already have, point at it directly (conduit chat -m local:./path/to/model.gguf) or copy it into the model store ($CONDUIT_HOME/models) and use its name`,
    { upstreamCode: code, retryable: true, cause },
  );
}

export function httpError(response: Response, source: ModelSource): ConduitError {
  const status = response.status;
  void response.body?.cancel();
  if (status === 401 || status === 403)
    return new ConduitError(
      'authentication',
      `${new URL(source.url).host} refused ${source.label} (HTTP ${status}): the repository may be gated or private; accept its terms on the Hub and set HF_TOKEN`,
      { upstreamStatus: status },
    );
  if (status === 404)
    return new ConduitError(
      'not_found',
      `No such file: ${source.label} (HTTP 404). Check the owner/repo/file spelling; file names are case-sensitive`,
      { upstreamStatus: status },
    );
  return new ConduitError(
    'upstream_error',
    `${new URL(source.url).host} answered HTTP ${status} for ${source.label}`,
    { upstreamStatus: status, retryable: status >= 500 || status === 429 },
  );
}

/**
 * The Hub sends an LFS file's SHA-256 as X-Linked-Etag (on its redirect) or as the ETag. Other
 * servers' ETags are opaque (often an MD5), so only the Hub's count as checksums.
 */
export function publishedSha(headers: Headers, source: ModelSource): string | undefined {
  const names =
    source.kind === 'huggingface'
      ? ['x-linked-etag', 'etag', 'x-checksum-sha256']
      : ['x-linked-etag', 'x-checksum-sha256'];
  for (const name of names) {
    const sha = normalizeSha(headers.get(name) ?? undefined);
    if (sha) return sha;
  }
  return undefined;
}

export function normalizeSha(value: string | undefined): string | undefined {
  const cleaned = value?.trim().replace(/^W\//, '').replace(/"/g, '').toLowerCase();
  return cleaned && /^[0-9a-f]{64}$/.test(cleaned) ? cleaned : undefined;
}

export function totalSize(response: Response, offset: number): number | undefined {
  const range = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
  if (range) return Number(range[1]);
  const length = response.headers.get('x-linked-size') ?? response.headers.get('content-length');
  return length === null ? undefined : Number(length) + (response.status === 206 ? offset : 0);
}
