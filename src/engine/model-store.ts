/**
 * The model store: GGUF files under `$CONDUIT_HOME/models`, where `conduit pull` puts them. A local
 * model is named by a path to a GGUF file or by its name in the store (the file name without
 * `.gguf`). Each pulled file has a `<file>.json` manifest beside it (source, SHA-256); downloads in
 * progress are `*.partial` files, which are never listed or loaded.
 *
 * @example
 * await resolveModelFile('./models/qwen2.5-0.5b-instruct-q4_k_m.gguf'); // a path
 * await resolveModelFile('qwen2.5-0.5b-instruct-q4_k_m');               // a name in the store
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { modelsDir } from '../core/conduit-home.js';
import { ConduitError } from '../core/errors.js';

export interface ModelStoreOptions {
  /** Defaults to `$CONDUIT_HOME/models`. */
  dir?: string;
  env?: NodeJS.ProcessEnv;
  /** Base for relative paths; defaults to the working directory. */
  cwd?: string;
}

export interface StoredModel {
  /** File name without `.gguf`: what `local:<name>` refers to. */
  name: string;
  path: string;
  bytes: number;
  /** The file's modification time (when a pull finished, or the file was copied in). */
  modifiedAt: Date;
  manifest?: ModelManifest;
}

/** Written by `conduit pull` beside the model file. */
export interface ModelManifest {
  source: string;
  url: string;
  sha256: string;
  bytes: number;
  pulledAt: string;
}

export function storeDir(options: ModelStoreOptions = {}): string {
  return options.dir ?? modelsDir(options.env);
}

export function manifestPath(modelPath: string): string {
  return `${modelPath}.json`;
}

function looksLikePath(spec: string): boolean {
  return /[\\/]/.test(spec) || spec.startsWith('.') || spec.startsWith('~') || /\.gguf$/i.test(spec);
}

/** The GGUF file a model spec names; `not_found` (param `model`) says where it looked. */
export async function resolveModelFile(spec: string, options: ModelStoreOptions = {}): Promise<string> {
  const dir = storeDir(options);
  const trimmed = spec.trim();
  if (looksLikePath(trimmed)) {
    const expanded = trimmed.startsWith('~/') ? join(homedir(), trimmed.slice(2)) : trimmed;
    const path = isAbsolute(expanded) ? expanded : resolve(options.cwd ?? process.cwd(), expanded);
    if (await isFile(path)) return path;
    // "name.gguf" may also mean the file of that name in the store.
    if (!/[\\/]/.test(trimmed) && (await isFile(join(dir, trimmed)))) return join(dir, trimmed);
    throw new ConduitError('not_found', `No GGUF model file at ${path}`, {
      provider: 'local',
      param: 'model',
    });
  }
  for (const candidate of [join(dir, `${trimmed}.gguf`), join(dir, trimmed)]) {
    if (await isFile(candidate)) return candidate;
  }
  const stored = await listStoredModels(options);
  const match = stored.find((m) => m.name.toLowerCase() === trimmed.toLowerCase());
  if (match) return match.path;
  const names = stored.map((m) => m.name);
  throw new ConduitError(
    'not_found',
    `No local model "${trimmed}" in ${dir}. ${names.length > 0 ? `Available: ${names.join(', ')}. ` : ''}Pass a path to a .gguf file, or download one with \`conduit pull <owner>/<repo>/<file>.gguf\``,
    { provider: 'local', param: 'model' },
  );
}

/** Complete GGUF files in the store (subfolders one level deep), sorted by name. */
export async function listStoredModels(options: ModelStoreOptions = {}): Promise<StoredModel[]> {
  const dir = storeDir(options);
  const out: StoredModel[] = [];
  const visit = async (folder: string, prefix: string, depth: number) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory() && depth > 0) await visit(path, `${prefix}${entry.name}/`, depth - 1);
      else if (entry.isFile() && /\.gguf$/i.test(entry.name)) {
        const info = await stat(path);
        const model: StoredModel = {
          name: prefix + basename(entry.name).replace(/\.gguf$/i, ''),
          path,
          bytes: info.size,
          modifiedAt: info.mtime,
        };
        const manifest = await readManifest(path);
        if (manifest) model.manifest = manifest;
        out.push(model);
      }
    }
  };
  await visit(dir, '', 1);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export async function readManifest(modelPath: string): Promise<ModelManifest | undefined> {
  try {
    return JSON.parse(await readFile(manifestPath(modelPath), 'utf8')) as ModelManifest;
  } catch {
    return undefined;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
