/**
 * The `conduit` command line: one program, a subcommand per job, `--help` everywhere.
 */
import { Command, CommanderError } from 'commander';
import { describeError, EXIT_USAGE, exitCodeFor } from './cli-error.js';
import { registerAskCommand } from './commands/ask.js';
import { registerChatCommand } from './commands/chat.js';
import { registerEvalCommand } from './commands/eval.js';
import { registerIngestCommand } from './commands/ingest.js';
import { registerKeysCommand } from './commands/keys.js';
import { registerModelsCommand } from './commands/models.js';
import { registerPullCommand } from './commands/pull.js';
import { registerScoreCommand } from './commands/score.js';
import { registerSearchCommand } from './commands/search.js';
import { registerServeCommand } from './commands/serve.js';
import { VERSION } from './version.js';

export function createProgram(): Command {
  const program = new Command('conduit')
    .description('Conduit: one API and gateway for every LLM, with RAG, evaluation and a console.')
    .version(VERSION, '-v, --version')
    .option('-c, --config <file>', 'config file (default: ./conduit.yaml, then $CONDUIT_HOME/conduit.yaml)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerServeCommand(program);
  registerChatCommand(program);
  registerModelsCommand(program);
  registerPullCommand(program);
  registerKeysCommand(program);
  registerIngestCommand(program);
  registerSearchCommand(program);
  registerAskCommand(program);
  registerEvalCommand(program);
  registerScoreCommand(program);
  const override = (command: Command) => {
    command.exitOverride();
    for (const sub of command.commands) override(sub);
  };
  override(program);
  return program;
}

/** Runs the CLI and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.exitCode === 0
      )
        return 0;
      return EXIT_USAGE;
    }
    console.error(`conduit: ${describeError(error)}`);
    return exitCodeFor(error);
  }
}
