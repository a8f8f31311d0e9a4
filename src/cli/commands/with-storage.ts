/**
 * What `conduit logs` and `conduit traces` share: the one function that opens the configured
 * storage through the runtime, where output goes, and a way to run either command in-process with
 * its output captured (their tests use it).
 */
import { Command, CommanderError } from 'commander';
import { parseTimeBound, TIME_BOUND_FORMS } from '../../core/parse-time.js';
import { openConduit } from '../../runtime/open-conduit.js';
import type { Storage } from '../../storage/ports/storage.js';
import { describeError, EXIT_OK, EXIT_USAGE, exitCodeFor, UsageError } from '../cli-error.js';

/** Where a command writes, and (in tests) what stops a `--follow`; the real process by default. */
export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Ends a follow loop, as SIGINT does. */
  signal?: AbortSignal;
}

export const processIo: CommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** The filter flags both commands take, as typed. */
export interface ListFlags {
  model?: string;
  key?: string;
  since?: string;
  until?: string;
  limit?: string;
}

/** Adds --model, --key, --since, --until and --limit (their status flags differ, so each adds its own). */
export function withListFlags(command: Command, defaultLimit: number | string): Command {
  return command
    .option('--model <alias>', 'only this model (the name clients send)')
    .option('--key <id>', 'only this virtual key')
    .option('--since <when>', 'from this time: 10m, 1h, 2d ago, or a date (2026-12-01)')
    .option('--until <when>', 'before this time (same forms as --since)')
    .option('-n, --limit <n>', `at most this many (default ${defaultLimit}, max 1000)`);
}

/** Checks the filter flags; bad values are usage errors (exit 2). */
export function listFilters(flags: ListFlags, now: number) {
  const time = (flag: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const at = parseTimeBound(value, now);
    if (at === undefined) throw new UsageError(`${flag} must be ${TIME_BOUND_FORMS}, got "${value}"`);
    return at;
  };
  if (flags.limit !== undefined && !/^[1-9]\d*$/.test(flags.limit)) {
    throw new UsageError(`--limit must be a positive integer, got "${flags.limit}"`);
  }
  return {
    model: flags.model,
    keyId: flags.key,
    since: time('--since', flags.since),
    until: time('--until', flags.until),
    limit: flags.limit === undefined ? undefined : Math.min(Number(flags.limit), 1000),
  };
}

/**
 * Opens the runtime of the config in effect (`--config`, ./conduit.yaml, $CONDUIT_HOME) and gives
 * `fn` its storage: found the same way as by every other command and the gateway.
 */
export async function withStorage<T>(command: Command, fn: (storage: Storage) => Promise<T>): Promise<T> {
  const globals = command.optsWithGlobals<{ config?: string }>();
  const conduit = await openConduit({ config: globals.config, surface: 'cli' });
  try {
    return await fn(conduit.storage);
  } finally {
    await conduit.close();
  }
}

/**
 * Runs `conduit <args>` with only the commands `register` adds, in-process; resolves to the exit
 * code main() would give.
 *
 * @example
 * const code = await runInProcess(registerLogsCommand, ['logs', '--json'], io);
 */
export async function runInProcess(
  register: (program: Command, io: CommandIo) => void,
  args: readonly string[],
  io: CommandIo,
): Promise<number> {
  const program = new Command('conduit')
    .option('-c, --config <file>', 'config file')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) });
  register(program, io);
  try {
    await program.parseAsync(args, { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    io.stderr(`conduit: ${describeError(error)}\n`);
    return exitCodeFor(error);
  }
}
