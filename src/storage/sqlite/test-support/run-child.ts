/**
 * Runs a TypeScript snippet in a separate Node process (with tsx), for tests that need a real second
 * process: crash durability and cross-process locking. `STORAGE` in the snippet is replaced by the
 * URL of `src/storage/index.ts`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const storageUrl = new URL('../../index.ts', import.meta.url).href;

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runChild(source: string, args: string[] = []): Promise<ChildResult> {
  const dir = mkdtempSync(join(tmpdir(), 'conduit-child-'));
  const script = join(dir, 'child.mts');
  writeFileSync(script, source.replaceAll('STORAGE', storageUrl));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, signal, stdout, stderr });
    });
  });
}
