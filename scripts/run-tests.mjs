#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with node's own test runner (tsx as loader).
// Node 20's --test does not expand globs, so the file list is built here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('-'));
const files = [];
function walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.test.ts')) files.push(path);
  }
}
for (const root of roots.length > 0 ? roots : ['src', 'test']) {
  if (root.endsWith('.test.ts')) files.push(root);
  else walk(root);
}
files.sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...flags, ...files],
  { stdio: 'inherit', env: { ...process.env, CONDUIT_TEST: '1' } },
);
process.exit(result.status ?? 1);
