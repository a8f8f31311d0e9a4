/**
 * Stand-in for `conduit` with only the pull command registered, until it is wired into
 * src/cli/main.ts: same error reporting and exit codes as main().
 */
import { Command, CommanderError } from 'commander';
import { describeError, EXIT_USAGE, exitCodeFor } from '../../../src/cli/cli-error.js';
import { registerPullCommand } from '../../../src/cli/commands/pull.js';

const program = new Command('conduit').exitOverride();
registerPullCommand(program);
for (const command of program.commands) command.exitOverride();
try {
  await program.parseAsync(process.argv);
  process.exitCode = 0;
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
  else {
    console.error(`conduit: ${describeError(error)}`);
    process.exitCode = exitCodeFor(error);
  }
}
