/**
 * Loads `conduit.yaml`: YAML parse, `${ENV_VAR}` interpolation, zod validation. Every error names
 * the file, the line and the key, and says what to do.
 *
 * @example
 * const { config, path } = await loadConfig({ path: './conduit.yaml' });
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { conduitHome } from '../core/conduit-home.js';
import { ConduitError } from '../core/errors.js';
import { type ConduitConfig, configSchema } from './config-schema.js';

export interface LoadedConfig {
  config: ConduitConfig;
  /** The file read, or undefined when running on defaults. */
  path?: string;
}

export interface LoadConfigOptions {
  path?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** The config file to use: explicit path, CONDUIT_CONFIG, ./conduit.yaml, $CONDUIT_HOME/conduit.yaml. */
export function findConfigPath(options: LoadConfigOptions = {}): string | undefined {
  const env = options.env ?? process.env;
  if (options.path) return resolve(options.cwd ?? process.cwd(), options.path);
  if (env.CONDUIT_CONFIG) return resolve(env.CONDUIT_CONFIG);
  for (const candidate of [
    join(options.cwd ?? process.cwd(), 'conduit.yaml'),
    join(options.cwd ?? process.cwd(), 'conduit.yml'),
    join(conduitHome(env), 'conduit.yaml'),
  ]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const path = findConfigPath(options);
  if (!path) return { config: configSchema.parse({}) };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ConduitError('bad_request', `Cannot read config file ${path}: ${(cause as Error).message}`, {
      cause,
    });
  }
  return { config: parseConfig(text, path, options.env ?? process.env), path };
}

/** Parses config text; `file` is used in error messages only. */
export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): ConduitConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const pos = lines.linePos(first.pos[0]);
    throw configError(`${file}:${pos.line}:${pos.col}: invalid YAML: ${first.message.split('\n')[0]}`);
  }
  interpolate(doc.contents, env, file, lines, []);
  const raw = doc.toJS() ?? {};
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  // A misspelt key usually explains a missing one, so unknown keys are reported first.
  const issues = [...parsed.error.issues].sort(
    (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
  );
  const messages = issues.slice(0, 5).map((issue) => describeIssue(issue, doc, lines, file));
  throw configError(messages.join('\n'), parsed.error.issues);
}

function configError(message: string, details?: unknown): ConduitError {
  return new ConduitError('bad_request', message, { param: 'config', details });
}

const ENV_PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Replaces `${VAR}` and `${VAR:-default}` in every scalar string, in place; a missing variable is an error. */
function interpolate(
  node: unknown,
  env: NodeJS.ProcessEnv,
  file: string,
  lines: LineCounter,
  path: (string | number)[],
): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      interpolate(pair.value, env, file, lines, [...path, key]);
    }
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) interpolate(node.items[i], env, file, lines, [...path, i]);
  } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${')) {
    node.value = node.value.replace(ENV_PATTERN, (_match, name: string, fallback: string | undefined) => {
      const value = env[name];
      if (value !== undefined && value !== '') return value;
      if (fallback !== undefined) return fallback;
      const line = node.range ? lines.linePos(node.range[0]).line : 0;
      throw configError(
        `${file}:${line}: ${formatPath(path)} uses \${${name}}, but ${name} is not set: export it or write \${${name}:-default}`,
      );
    });
  }
}

function describeIssue(
  issue: z.core.$ZodIssue,
  doc: ReturnType<typeof parseDocument>,
  lines: LineCounter,
  file: string,
): string {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  // Point at the deepest node that exists (an unknown key points at its parent mapping's key).
  let line = 1;
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as Node | undefined;
    if (node && typeof node === 'object' && 'range' in node && node.range) {
      line = lines.linePos(node.range[0]).line;
      break;
    }
  }
  const message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys: string[] }).keys;
    const first = keys[0]!;
    const node = doc.getIn([...path, first], true) as Node | undefined;
    const keyLine = findKeyLine(doc, [...path], first, lines);
    if (keyLine) line = keyLine;
    else if (node?.range) line = lines.linePos(node.range[0]).line;
    return `${file}:${line}: unknown key ${formatPath([...path, first])}: check its spelling against docs/configuration.md`;
  }
  return `${file}:${line}: ${formatPath(path)}: ${message}`;
}

function findKeyLine(
  doc: ReturnType<typeof parseDocument>,
  path: (string | number)[],
  key: string,
  lines: LineCounter,
): number | undefined {
  const parent = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (!isMap(parent)) return undefined;
  for (const pair of parent.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key && pair.key.range)
      return lines.linePos(pair.key.range[0]).line;
  }
  return undefined;
}

function formatPath(path: (string | number)[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
