/**
 * YAML with positions: parses a suite, replaces `${ENV_VAR}` (and `${VAR:-default}`) in scalars as
 * conduit.yaml does, and turns a zod issue path back into `file:line: key: message`, so a mistake in
 * a 300-line suite points at its line.
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { SuiteError } from './suite-error.js';

export type YamlPath = (string | number)[];

export interface YamlSource {
  file: string;
  value: unknown;
  /** The line (1-based) of the deepest node on `path` that exists. */
  lineOf(path: YamlPath): number;
  /** The line of `key` itself in the mapping at `path` (an unknown key has no useful value line). */
  lineOfKey(path: YamlPath, key: string): number;
}

const ENV_PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export function formatYamlPath(path: YamlPath): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

export function parseYamlSource(text: string, file: string, env: NodeJS.ProcessEnv): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const pos = lines.linePos(first.pos[0]);
    throw new SuiteError(`${file}:${pos.line}:${pos.col}: invalid YAML: ${first.message.split('\n')[0]}`);
  }
  const lineOfNode = (node: unknown) =>
    node && typeof node === 'object' && 'range' in node && (node as Node).range
      ? lines.linePos((node as Node).range![0]).line
      : undefined;
  const interpolate = (node: unknown, path: YamlPath): void => {
    if (isMap(node)) {
      for (const pair of node.items)
        interpolate(pair.value, [...path, isScalar(pair.key) ? String(pair.key.value) : '?']);
    } else if (isSeq(node)) {
      for (const [i, item] of node.items.entries()) interpolate(item, [...path, i]);
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${')) {
      node.value = node.value.replace(ENV_PATTERN, (_m, name: string, fallback: string | undefined) => {
        const value = env[name];
        if (value !== undefined && value !== '') return value;
        if (fallback !== undefined) return fallback;
        throw new SuiteError(
          `${file}:${lineOfNode(node) ?? 0}: ${formatYamlPath(path)} uses \${${name}}, but ${name} is not set: export it or write \${${name}:-default}`,
        );
      });
    }
  };
  interpolate(doc.contents, []);
  return {
    file,
    value: doc.toJS() ?? {},
    lineOf(path) {
      for (let depth = path.length; depth >= 0; depth--) {
        const line = lineOfNode(doc.getIn(path.slice(0, depth), true));
        if (line) return line;
      }
      return 1;
    },
    lineOfKey(path, key) {
      const parent = path.length === 0 ? doc.contents : doc.getIn(path, true);
      if (isMap(parent))
        for (const pair of parent.items)
          if (isScalar(pair.key) && String(pair.key.value) === key)
            return lineOfNode(pair.key) ?? this.lineOf(path);
      return this.lineOf([...path, key]);
    },
  };
}

/** `file:line: key: message` for the first few issues, unknown keys first (they explain the rest). */
export function describeIssues(source: YamlSource, issues: readonly z.core.$ZodIssue[]): string {
  const sorted = [...issues].sort(
    (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
  );
  return sorted
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
      if (issue.code === 'unrecognized_keys') {
        const key = (issue as { keys: string[] }).keys[0]!;
        return `${source.file}:${source.lineOfKey(path, key)}: unknown key ${formatYamlPath([...path, key])}: check its spelling against docs/evaluation.md`;
      }
      return `${source.file}:${source.lineOf(path)}: ${formatYamlPath(path)}: ${issue.message}`;
    })
    .join('\n');
}
