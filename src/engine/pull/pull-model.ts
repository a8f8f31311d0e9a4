/**
 * Downloads a GGUF file into the model store, safely:
 *
 * - bytes go to `<file>.partial`; an interrupted download resumes from there with an HTTP Range
 *   request (guarded by `If-Range`, so a changed remote file restarts instead of mixing versions);
 * - the SHA-256 of the whole file is checked against the one the Hub publishes (`X-Linked-Etag` /
 *   `ETag` of LFS files) or `--sha256`; a mismatch deletes the partial file;
 * - only a verified file that starts with the GGUF magic is renamed to `<file>` — a failed or partial
 *   download never looks like a model — and a `<file>.json` manifest records where it came from.
 *
 * Offline, it fails within seconds with a message saying how to use a local file instead.
 *
 * @example
 * const result = await pullModel('Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf', {
 *   onProgress: ({ downloaded, total }) => console.log(downloaded, total),
 * });
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConduitError } from '../../core/errors.js';
import { type ModelManifest, manifestPath, readManifest, storeDir } from '../model-store.js';
import { httpError, normalizeSha, publishedSha, request, totalSize } from './http-download.js';
import { type ModelSource, parseModelSource } from './parse-model-source.js';

export interface PullProgress {
  downloaded: number;
  /** Bytes in the whole file, when the server says. */
  total: number | undefined;
  /** Bytes that were already on disk from an earlier attempt. */
  resumedFrom: number;
}

export interface PullOptions {
  /** Model store; defaults to `$CONDUIT_HOME/models`. */
  dir?: string;
  env?: NodeJS.ProcessEnv;
  /** Expected SHA-256 (hex); wins over what the server publishes. */
  sha256?: string;
  /** Hugging Face revision (branch, tag or commit), default `main`. */
  revision?: string;
  /** Download again even if the file is already in the store. */
  force?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: PullProgress) => void;
  /** Milliseconds to wait for the server's response headers before calling it unreachable. */
  connectTimeoutMs?: number;
  fetch?: typeof fetch;
}

export interface PullResult {
  name: string;
  path: string;
  bytes: number;
  sha256: string;
  /** False when neither the server nor the caller gave a checksum to compare with. */
  verified: boolean;
  resumedFrom: number;
  alreadyPresent: boolean;
  source: string;
  url: string;
}

const GGUF_MAGIC = Buffer.from('GGUF', 'latin1');
export async function pullModel(input: string, options: PullOptions = {}): Promise<PullResult> {
  const source = parseModelSource(input, { env: options.env, revision: options.revision });
  const dir = storeDir({ dir: options.dir, env: options.env });
  await mkdir(dir, { recursive: true });
  const target = join(dir, source.fileName);
  const partial = `${target}.partial`;
  const expectedFromUser = normalizeSha(options.sha256);
  if (options.sha256 !== undefined && !expectedFromUser)
    throw new ConduitError('bad_request', '--sha256 must be 64 hexadecimal characters', { param: 'sha256' });

  const existing = await readManifest(target);
  if (!options.force && existing && (await fileSize(target)) === existing.bytes) {
    if (!expectedFromUser || expectedFromUser === existing.sha256) {
      return {
        name: nameOf(source),
        path: target,
        bytes: existing.bytes,
        sha256: existing.sha256,
        verified: true,
        resumedFrom: 0,
        alreadyPresent: true,
        source: source.label,
        url: source.url,
      };
    }
  }

  let offset = options.force ? 0 : ((await fileSize(partial)) ?? 0);
  const state = await readPartialState(partial);
  if (offset > 0 && state?.url !== source.url) offset = 0; // a partial file from another source
  const response = await request(source, offset, offset > 0 ? state?.validator : undefined, options);
  if (response.status === 416) {
    // The partial file is not a prefix of what the server has (or already complete): start over.
    await response.body?.cancel();
    await rm(partial, { force: true });
    return pullModel(input, { ...options, force: true });
  }
  if (!response.ok) throw httpError(response, source);
  if (response.status !== 206) offset = 0; // the server ignored the Range or the file changed
  const published = publishedSha(response.headers, source);
  const expected = expectedFromUser ?? published;
  const total = totalSize(response, offset);
  const validator = response.headers.get('etag') ?? response.headers.get('last-modified') ?? undefined;
  await writeFile(`${partial}.state`, JSON.stringify({ url: source.url, validator }));

  const hash = createHash('sha256');
  if (offset > 0)
    for await (const chunk of createReadStream(partial, { end: offset - 1 })) hash.update(chunk as Buffer);
  const file = await open(partial, offset > 0 ? 'a' : 'w');
  let downloaded = offset;
  try {
    options.onProgress?.({ downloaded, total, resumedFrom: offset });
    if (response.body) {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        await file.write(chunk);
        hash.update(chunk);
        downloaded += chunk.length;
        options.onProgress?.({ downloaded, total, resumedFrom: offset });
      }
    }
  } catch (cause) {
    throw interrupted(source, downloaded, total, cause, options.signal);
  } finally {
    await file.close();
  }
  if (total !== undefined && downloaded !== total)
    throw new ConduitError(
      'upstream_error',
      `Download of ${source.fileName} stopped at ${downloaded} of ${total} bytes; run the same command again to resume`,
      { retryable: true },
    );

  const sha256 = hash.digest('hex');
  if (expected && sha256 !== expected) {
    await rm(partial, { force: true });
    await rm(`${partial}.state`, { force: true });
    throw new ConduitError(
      'invalid_response',
      `Checksum mismatch for ${source.fileName}: expected SHA-256 ${expected}, got ${sha256}. The download was deleted; run the command again to retry`,
      { details: { expected, actual: sha256 } },
    );
  }
  await assertGguf(partial, source);
  await rename(partial, target);
  await rm(`${partial}.state`, { force: true });
  const manifest: ModelManifest = {
    source: source.label,
    url: source.url,
    sha256,
    bytes: downloaded,
    pulledAt: new Date().toISOString(),
  };
  await writeFile(manifestPath(target), `${JSON.stringify(manifest, null, 2)}\n`);
  return {
    name: nameOf(source),
    path: target,
    bytes: downloaded,
    sha256,
    verified: expected !== undefined,
    resumedFrom: offset,
    alreadyPresent: false,
    source: source.label,
    url: source.url,
  };
}

function interrupted(
  source: ModelSource,
  downloaded: number,
  total: number | undefined,
  cause: unknown,
  signal?: AbortSignal,
): ConduitError {
  if (signal?.aborted)
    return new ConduitError(
      'cancelled',
      `Download of ${source.fileName} cancelled at ${downloaded} bytes; run the same command again to resume`,
      { cause },
    );
  return new ConduitError(
    'upstream_error',
    `Download of ${source.fileName} interrupted at ${downloaded}${total ? ` of ${total}` : ''} bytes; run the same command again to resume`,
    { retryable: true, cause },
  );
}

async function assertGguf(path: string, source: ModelSource): Promise<void> {
  const handle = await open(path, 'r');
  const magic = Buffer.alloc(4);
  try {
    await handle.read(magic, 0, 4, 0);
  } finally {
    await handle.close();
  }
  if (!magic.equals(GGUF_MAGIC)) {
    await rm(path, { force: true });
    throw new ConduitError(
      'invalid_response',
      `${source.label} is not a GGUF file (it does not start with "GGUF"); the download was deleted`,
    );
  }
}

async function readPartialState(partial: string): Promise<{ url: string; validator?: string } | undefined> {
  try {
    return JSON.parse(await readFile(`${partial}.state`, 'utf8')) as { url: string; validator?: string };
  } catch {
    return undefined;
  }
}

async function fileSize(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

function nameOf(source: ModelSource): string {
  return source.fileName.replace(/\.gguf$/i, '');
}
