/**
 * What `conduit pull` accepts, turned into a download URL:
 *
 * - `owner/repo/file.gguf` or `owner/repo/sub/dir/file.gguf` — a file in a Hugging Face repo
 * - `hf:owner/repo:file.gguf` — the same, as llama.cpp and Ollama spell it
 * - `https://huggingface.co/owner/repo/blob/main/file.gguf` — a Hub page URL (turned into `resolve`)
 * - any other `http(s)://…` URL of a GGUF file
 *
 * The Hub's address comes from `CONDUIT_HF_ENDPOINT`, then `HF_ENDPOINT` (the variable the
 * huggingface_hub tools use, so mirrors work), then https://huggingface.co.
 */
import { posix } from 'node:path';
import { ConduitError } from '../../core/errors.js';

export interface ModelSource {
  kind: 'huggingface' | 'url';
  url: string;
  /** File name in the model store. */
  fileName: string;
  /** How the user wrote it, normalised (recorded in the manifest). */
  label: string;
  repo?: string;
}

export const DEFAULT_HF_ENDPOINT = 'https://huggingface.co';

export function huggingFaceEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return (env.CONDUIT_HF_ENDPOINT?.trim() || env.HF_ENDPOINT?.trim() || DEFAULT_HF_ENDPOINT).replace(
    /\/+$/,
    '',
  );
}

/**
 * @example
 * parseModelSource('Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf')
 * // { kind: 'huggingface', url: 'https://huggingface.co/Qwen/…/resolve/main/qwen2.5-0.5b-instruct-q4_k_m.gguf', … }
 */
export function parseModelSource(
  source: string,
  options: { env?: NodeJS.ProcessEnv; revision?: string } = {},
): ModelSource {
  const input = source.trim();
  const revision = options.revision ?? 'main';
  const endpoint = huggingFaceEndpoint(options.env);
  if (/^https?:\/\//i.test(input)) {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      throw badSource(`"${source}" is not a valid URL`);
    }
    // A Hub page (…/blob/<rev>/file) downloads from …/resolve/<rev>/file.
    const hub = /^\/([^/]+)\/([^/]+)\/(?:blob|resolve)\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (hub && (url.origin === new URL(endpoint).origin || url.hostname === 'huggingface.co')) {
      const [, owner, repo, rev, file] = hub;
      return huggingFace(`${url.origin}`, `${owner}/${repo}`, file!, rev!);
    }
    const fileName = posix.basename(decodeURIComponent(url.pathname));
    if (!fileName) throw badSource(`"${source}" does not name a file`);
    return { kind: 'url', url: url.toString(), fileName, label: url.toString() };
  }
  const hf = /^hf:([^/:\s]+)\/([^/:\s]+):(.+)$/.exec(input);
  if (hf) return huggingFace(endpoint, `${hf[1]}/${hf[2]}`, hf[3]!, revision);
  const parts = input.split('/');
  if (parts.length >= 3 && parts.every((p) => p.length > 0 && p !== '..' && p !== '.')) {
    return huggingFace(endpoint, `${parts[0]}/${parts[1]}`, parts.slice(2).join('/'), revision);
  }
  throw badSource(
    `Cannot read "${source}" as a model source. Use owner/repo/file.gguf (Hugging Face), hf:owner/repo:file.gguf, or an https:// URL of a .gguf file`,
  );
}

function huggingFace(endpoint: string, repo: string, file: string, revision: string): ModelSource {
  if (!/\.gguf$/i.test(file))
    throw badSource(
      `"${file}" is not a .gguf file; name the GGUF file inside ${repo} (e.g. ${repo}/model-q4_k_m.gguf)`,
    );
  const encoded = file.split('/').map(encodeURIComponent).join('/');
  return {
    kind: 'huggingface',
    url: `${endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${encoded}`,
    fileName: posix.basename(file),
    label: `hf:${repo}:${file}${revision === 'main' ? '' : `@${revision}`}`,
    repo,
  };
}

/** A source the user mistyped: param `model`, which the CLI reports as a usage error (exit 2). */
function badSource(message: string): ConduitError {
  return new ConduitError('bad_request', message, { param: 'model' });
}
