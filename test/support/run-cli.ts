/**
 * Runs the real `conduit` CLI (src/cli/bin.ts through tsx) in a child process, as a user would,
 * and collects its exit code and output.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI_BIN = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url));
// Resolved here: the CLI often runs in a temporary directory where a bare 'tsx' would not resolve.
export const TSX_LOADER = import.meta.resolve('tsx');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout chunks in arrival order, to see streaming. */
  chunks: string[];
}

export interface CliOptions {
  /** The whole environment of the child (PATH is added). */
  env?: Record<string, string>;
  cwd?: string;
  /** Written to stdin, which is then closed. */
  input?: string;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, CLI_BIN, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const chunks: string[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: chunks.join(''), stderr, chunks }));
    child.stdin.end(options.input ?? '');
  });
}
