/**
 * The `conduit` command line: one program, a subcommand per job, `--help` everywhere.
 *
 * Commands load lazily. The program lists every command from COMMANDS (name, arguments, one line),
 * and imports only the module of the command being run, so `conduit --version` or `--help` never
 * pays for providers, the engine or the server.
 */
import { Command, CommanderError, Help } from 'commander';
import { describeError, EXIT_USAGE, exitCodeFor } from './cli-error.js';
import { COMMANDS, type CommandEntry, type CommandName, commandNamed } from './command-table.js';
import { VERSION } from './version.js';

/**
 * The command commander will dispatch these arguments (without node and script) to: the first
 * operand after the program's own options, or the one after `help`. Undefined when the program
 * answers by itself (--version, --help, an unknown option) or the operand names no command.
 */
export function commandToRun(args: readonly string[]): CommandName | undefined {
  const operands: string[] = [];
  let literal = false;
  for (let i = 0; i < args.length && operands.length < 2; i++) {
    const arg = args[i]!;
    if (literal || !arg.startsWith('-') || arg === '-') {
      operands.push(arg);
      if (arg !== 'help' || operands.length > 1) break;
    } else if (arg === '--') literal = true;
    else if (arg === '-c' || arg === '--config') i++;
    // Any other option before the command is --version, --help or a usage error: all answered by
    // the program itself.
    else if (!arg.startsWith('--config=') && !/^-c./.test(arg) && operands.length === 0) return undefined;
  }
  return commandNamed(operands[0] === 'help' ? operands[1] : operands[0]);
}

/**
 * The program for these arguments: the command they run registered in full, every other command
 * listed by its name and description only.
 *
 * @example
 * const program = await createProgram(process.argv);
 * await program.parseAsync(process.argv);
 */
export async function createProgram(argv: readonly string[] = []): Promise<Command> {
  const run = commandToRun(argv.slice(2));
  const register = run === undefined ? undefined : await COMMANDS[run].load();
  const listed = new WeakSet<Command>();
  const program = new Command('conduit')
    .description('Conduit: one API and gateway for every LLM, with RAG, evaluation and a console.')
    .version(VERSION, '-v, --version')
    .option('-c, --config <file>', 'config file (default: ./conduit.yaml, then $CONDUIT_HOME/conduit.yaml)')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({
      // A listed command has no options or arguments of its own yet: show the table's term.
      subcommandTerm(this: Help, command: Command) {
        const entry = listed.has(command) ? COMMANDS[command.name() as CommandName] : undefined;
        return entry?.term ?? Help.prototype.subcommandTerm.call(this, command);
      },
    })
    .exitOverride();
  for (const [name, entry] of Object.entries(COMMANDS) as [CommandName, CommandEntry][]) {
    if (name === run && register) {
      register(program);
      continue;
    }
    const command = program.command(name).description(entry.description);
    if (entry.alias) command.alias(entry.alias);
    command.action(() => {
      throw new Error(`internal error: the ${name} command was run without being loaded`);
    });
    listed.add(command);
  }
  const override = (command: Command) => {
    command.exitOverride();
    for (const sub of command.commands) override(sub);
  };
  override(program);
  return program;
}

/** Runs the CLI and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const program = await createProgram(argv);
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
      if (error.code === 'commander.unknownCommand')
        console.error(`Commands: ${Object.keys(COMMANDS).join(', ')}`);
      return EXIT_USAGE;
    }
    console.error(`conduit: ${describeError(error)}`);
    return exitCodeFor(error);
  }
}
