/**
 * Fetches a URL for ingestion with the limits a shared server needs: http(s) only, the SSRF guard on
 * every connection and redirect hop, a byte limit enforced while streaming (not trusted from
 * Content-Length alone), and one deadline for the whole download.
 */
import { isIP } from 'node:net';
import { Agent, fetch } from 'undici';
import { ConduitError } from '../../core/errors.js';
import { type AddressPolicy, blockedMessage, blockNonPublicAddresses, guardedLookup } from './ssrf-guard.js';

export interface FetchUrlOptions {
  /** Largest body accepted; default 20 MiB. */
  maxBytes?: number;
  /** Deadline for connecting, redirects and the whole body; default 30 s. */
  timeoutMs?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Allows loopback, private and link-local addresses (a developer's own servers). Default false. */
  allowPrivateNetwork?: boolean;
  /** Replaces the address check (tests, or a stricter allow-list). */
  addressPolicy?: AddressPolicy;
  signal?: AbortSignal;
}

export interface FetchedUrl {
  /** After redirects. */
  url: string;
  contentType: string | null;
  data: Uint8Array;
}

export async function fetchUrl(input: string, options: FetchUrlOptions = {}): Promise<FetchedUrl> {
  const maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const policy: AddressPolicy = options.allowPrivateNetwork
    ? () => null
    : (options.addressPolicy ?? blockNonPublicAddresses);
  const signals = [AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])];
  const signal = AbortSignal.any(signals);
  const agent = new Agent({ connect: { lookup: guardedLookup(policy) } });
  try {
    let url = checkUrl(input, policy);
    for (let hop = 0; ; hop++) {
      const response = await fetch(url, { dispatcher: agent, redirect: 'manual', signal }).catch((error) => {
        throw fetchError(url, error, timeoutMs);
      });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        if (hop >= (options.maxRedirects ?? 5))
          throw new ConduitError('upstream_error', `${input}: too many redirects`, { param: 'url' });
        url = checkUrl(new URL(location, url).href, policy);
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new ConduitError('upstream_error', `${url}: HTTP ${response.status}`, {
          upstreamStatus: response.status,
          retryable: response.status >= 500,
        });
      }
      const declared = Number(response.headers.get('content-length') ?? Number.NaN);
      if (declared > maxBytes) {
        await response.body?.cancel();
        throw tooLarge(url, maxBytes);
      }
      const parts: Uint8Array[] = [];
      let size = 0;
      try {
        for await (const part of response.body ?? []) {
          size += part.byteLength;
          if (size > maxBytes) throw tooLarge(url, maxBytes);
          parts.push(part);
        }
      } catch (error) {
        throw ConduitError.isInstance(error) ? error : fetchError(url, error, timeoutMs);
      }
      return { url, contentType: response.headers.get('content-type'), data: Buffer.concat(parts) };
    }
  } finally {
    await agent.close().catch(() => {});
  }
}

/** Scheme and literal-address checks; names are checked when the socket resolves them. */
function checkUrl(raw: string, policy: AddressPolicy): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConduitError('bad_request', `${raw} is not a valid URL`, { param: 'url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConduitError('bad_request', `${raw}: only http and https URLs can be ingested`, {
      param: 'url',
    });
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host)
    ? host
    : host === 'localhost' || host.endsWith('.localhost')
      ? '127.0.0.1'
      : null;
  const reason = literal && policy(literal);
  if (reason) throw new ConduitError('permission', blockedMessage(host, literal, reason), { param: 'url' });
  return url.href;
}

function tooLarge(url: string, maxBytes: number): ConduitError {
  return new ConduitError('payload_too_large', `${url}: larger than the ${maxBytes}-byte limit`, {
    param: 'url',
  });
}

function fetchError(url: string, error: unknown, timeoutMs: number): ConduitError {
  type Coded = Error & { code?: string; cause?: unknown };
  let cause = error as Coded;
  if (cause?.cause && !cause.code) cause = cause.cause as Coded;
  if (cause?.code === 'ESSRFBLOCKED') return new ConduitError('permission', cause.message, { param: 'url' });
  if (cause?.name === 'TimeoutError' || (error as Error)?.name === 'TimeoutError')
    return new ConduitError('timeout', `${url}: no complete response within ${timeoutMs} ms`, {
      param: 'url',
    });
  if ((error as Error)?.name === 'AbortError') return new ConduitError('cancelled', `${url}: cancelled`);
  return new ConduitError('upstream_error', `${url}: ${cause?.message ?? String(error)}`, {
    upstreamCode: cause?.code,
    cause: error,
  });
}
