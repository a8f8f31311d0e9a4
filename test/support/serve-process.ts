/**
 * A real `conduit serve` in a child process (src/cli/bin.ts through tsx), for tests that signal or
 * kill it: resolves once it prints its URL, and exposes its exit and output.
 *
 * @example
 * const gw = await startServeProcess({ configPath, home });
 * gw.child.kill('SIGTERM');
 * assert.equal(await gw.exit, 0);
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { CLI_BIN, TSX_LOADER } from './run-cli.js';

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  /** The exit code (null when killed by a signal). */
  exit: Promise<number | null>;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
}

export function startServeProcess(options: {
  configPath: string;
  /** CONDUIT_HOME and HOME of the child. */
  home: string;
  env?: Record<string, string>;
  /** How long to wait for the "listening on" line (default 60 s: tsx compiles on first start). */
  startTimeoutMs?: number;
}): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    ['--import', TSX_LOADER, CLI_BIN, '--config', options.configPath, 'serve', '--port', '0', '--no-watch'],
    { env: { PATH: process.env.PATH, HOME: options.home, CONDUIT_HOME: options.home, ...options.env } },
  );
  let out = '';
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`conduit serve did not start: ${out}`));
    }, options.startTimeoutMs ?? 60_000);
    const onData = (c: Buffer) => {
      out += c;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, exit, output: () => out });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`conduit serve exited (${code}) before listening: ${out}`));
    });
  });
}
