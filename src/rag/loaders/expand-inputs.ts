/**
 * Turns what a user lists on the command line — files, directories, globs, URLs — into sources,
 * walking directories recursively. Each input also yields a scope: the set of previously ingested
 * sources it covers, which is what `--prune` may delete from when they are gone.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { IngestSource } from './load-source.js';
import { formatFromName, type LoadFailure } from './loaded-document.js';

export interface ExpandedInputs {
  sources: IngestSource[];
  /** Inputs that exist but hold nothing loadable, or do not exist. */
  failures: LoadFailure[];
  /** Files skipped inside directories because of their type. */
  skipped: string[];
  /** True when a stored document's `source` falls under one of the inputs. */
  covers(source: string): boolean;
}

const GLOB = /[*?[{]/;

export async function expandInputs(inputs: readonly string[], cwd = process.cwd()): Promise<ExpandedInputs> {
  const sources: IngestSource[] = [];
  const failures: LoadFailure[] = [];
  const skipped: string[] = [];
  const scopes: ((source: string) => boolean)[] = [];
  const seen = new Set<string>();
  const addFile = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    sources.push({ kind: 'file', path });
  };

  for (const input of inputs) {
    if (/^https?:\/\//i.test(input)) {
      scopes.push((s) => s === input);
      if (!seen.has(input)) sources.push({ kind: 'url', url: input });
      seen.add(input);
      continue;
    }
    if (GLOB.test(input)) {
      const { base, pattern } = splitGlob(resolve(cwd, input));
      scopes.push((s) => pattern.test(s));
      const files = await walk(base).catch(() => []);
      const matches = files.filter((f) => pattern.test(f));
      if (matches.length === 0) failures.push({ source: input, reason: 'the pattern matches no files' });
      for (const file of matches) {
        if (formatFromName(file)) addFile(file);
        else skipped.push(file);
      }
      continue;
    }
    const path = resolve(cwd, input);
    const info = await stat(path).catch(() => null);
    if (!info) {
      failures.push({ source: input, reason: 'no such file or directory' });
      continue;
    }
    if (info.isDirectory()) {
      scopes.push((s) => s.startsWith(path + sep));
      for (const file of await walk(path)) {
        if (formatFromName(file)) addFile(file);
        else skipped.push(file);
      }
    } else {
      scopes.push((s) => s === path);
      addFile(path); // an explicit file of an unknown type fails in the loader, with the reason
    }
  }
  return { sources, failures, skipped, covers: (s) => scopes.some((scope) => scope(s)) };
}

/** Every file below `dir`, sorted; hidden entries and node_modules are left out. */
async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

/** The directory a glob starts from, and a regex over absolute paths (`**`, `*`, `?`, `[…]`, `{a,b}`). */
export function splitGlob(absolute: string): { base: string; pattern: RegExp } {
  const parts = absolute.split(sep);
  const firstGlob = parts.findIndex((p) => GLOB.test(p));
  const base = parts.slice(0, firstGlob).join(sep) || sep;
  const rest = relative(base, absolute).split(sep).join('/');
  let regex = '';
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    if (c === '*' && rest[i + 1] === '*') {
      const slash = rest[i + 2] === '/';
      regex += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') regex += '[^/]*';
    else if (c === '?') regex += '[^/]';
    else if (c === '[') {
      const close = rest.indexOf(']', i + 1);
      regex += close > i ? `[${rest.slice(i + 1, close).replace(/^!/, '^')}]` : '\\[';
      i = close > i ? close : i;
    } else if (c === '{') {
      const close = rest.indexOf('}', i + 1);
      if (close > i) {
        regex += `(?:${rest
          .slice(i + 1, close)
          .split(',')
          .map(escapeRegex)
          .join('|')})`;
        i = close;
      } else regex += '\\{';
    } else regex += escapeRegex(c);
  }
  // Paths are matched as POSIX paths (Conduit's CLI targets Linux and macOS).
  const prefix = escapeRegex(base.endsWith('/') ? base : `${base}/`);
  return { base, pattern: new RegExp(`^${prefix}${regex}$`) };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
