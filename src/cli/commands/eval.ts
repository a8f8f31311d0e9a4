/**
 * `conduit eval <suite.yaml>`: runs a suite's prompts × targets × cases, prints the prompt × target
 * table, writes `--output` JSON, `--junit` XML and `--html`, and stores the run; `conduit eval list`
 * shows stored runs and `conduit eval compare <runA> <runB>` tests whether B differs from A.
 *
 * Exit codes, for CI: 0 the suite ran and its thresholds hold; 1 it ran and a threshold fails;
 * 2 it could not run as asked (bad suite, flag or config, unknown model) or a result ended in an
 * error (a target or judge that did not answer), since then the numbers are incomplete.
 */
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { Command, CommanderError, Option } from 'commander';
import { cacheDir } from '../../config/index.js';
import { ConduitError } from '../../core/errors.js';
import { compareReport, runReport, runsTable } from '../../eval/report/terminal-report.js';
import { writeReports } from '../../eval/report/write-reports.js';
import { compareRuns } from '../../eval/runner/compare-runs.js';
import { createDiskCache } from '../../eval/runner/disk-cache.js';
import type { EvalRunResult } from '../../eval/runner/eval-result.js';
import { resolveRunRef } from '../../eval/runner/resolve-run-ref.js';
import { runSuite } from '../../eval/runner/run-suite.js';
import {
  createSuiteEmbedder,
  createSuiteJudge,
  createSuiteTargets,
} from '../../eval/runner/suite-targets.js';
import { loadSuite, suiteNeeds } from '../../eval/suite/load-suite.js';
import { SuiteError } from '../../eval/suite/suite-error.js';
import { evalFactories } from '../../runtime/eval-factories.js';
import { type Conduit, openConduit } from '../../runtime/open-conduit.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from '../cli-error.js';

/** Where the command writes and what it reads; tests pass their own. */
export interface EvalIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const processIo = (): EvalIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});

/**
 * Carries an exit code through commander and `main()`. It extends UsageError because main() maps
 * that to 2, the code eval gives every error; thresholds that fail are a plain Error (exit 1).
 */
class EvalExit extends UsageError {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

interface RunFlags {
  output?: string;
  junit?: string;
  html?: string;
  json?: boolean;
  concurrency?: number;
  cache: boolean;
  judge?: string;
  embedding?: string;
  target?: string[];
  storage?: string;
  store: boolean;
  progress: boolean;
}

const positive = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${name} must be a positive integer, got "${value}"`);
  return n;
};

/** The runtime for one command: conduit.yaml from io.cwd, `--storage` over the config's. */
function openRuntime(url: string | undefined, configPath: string | undefined, io: EvalIo): Promise<Conduit> {
  return openConduit({
    config: configPath,
    env: io.env,
    cwd: io.cwd,
    surface: 'cli',
    ...(url ? { storage: url } : {}),
  });
}

async function executeRun(
  file: string,
  flags: RunFlags,
  configPath: string | undefined,
  io: EvalIo,
): Promise<number> {
  const suite = await loadSuite(file, { env: io.env });
  if (flags.target) {
    const unknown = flags.target.filter((id) => !suite.targets.some((t) => t.id === id));
    if (unknown.length) throw new UsageError(`--target: the suite has no target ${unknown.join(', ')}`);
    suite.targets = suite.targets.filter((t) => flags.target!.includes(t.id!));
  }
  const judgeSpec = flags.judge ? { model: flags.judge } : suite.judge;
  const embeddingSpec = flags.embedding ? { model: flags.embedding } : suite.embedding;
  const needs = suiteNeeds(suite);
  if (needs.judge.length && !judgeSpec)
    throw new UsageError(
      `${needs.judge.join(', ')} need a judge model: add judge: <model> to the suite or pass --judge`,
    );
  if (needs.embedder.length && !embeddingSpec)
    throw new UsageError(
      `${needs.embedder.join(', ')} need an embedding model: add embedding: <model> or pass --embedding`,
    );

  const conduit = await openRuntime(flags.storage, configPath, io);
  const { storage } = conduit;
  const factories = evalFactories(conduit);
  let bar: SingleBar | undefined;
  let run: EvalRunResult;
  // Ctrl-C cancels the calls in flight: the run finishes with what it has (stored, exit 2). A second
  // Ctrl-C exits at once, since the listener is gone by then.
  const interrupted = new AbortController();
  const onSigint = () => interrupted.abort();
  process.once('SIGINT', onSigint);
  try {
    const concurrency = flags.concurrency ?? suite.concurrency;
    const options = {
      ...(flags.cache ? { cache: createDiskCache(join(cacheDir(io.env), 'eval')) } : {}),
      ...(concurrency ? { concurrency } : {}),
    };
    const targets = await createSuiteTargets(suite, factories, options);
    const judge = judgeSpec ? await createSuiteJudge(judgeSpec, factories, options) : undefined;
    const embedder = embeddingSpec ? await createSuiteEmbedder(embeddingSpec, factories, options) : undefined;
    if (flags.progress && io.stderr.isTTY && !flags.json) {
      bar = new SingleBar({
        stream: io.stderr as NodeJS.WritableStream,
        format:
          'eval [{bar}] {value}/{total} | {passed} passed, {failed} failed, {errors} errors, {cached} cached | {eta_formatted}',
        hideCursor: true,
      });
    }
    run = await runSuite({
      suite,
      targets,
      ...(judge ? { judge } : {}),
      ...(embedder ? { embedder } : {}),
      ...(flags.store ? { store: storage.evals } : {}),
      ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
      config: { cache: flags.cache, ...(flags.target ? { targets: flags.target } : {}) },
      signal: interrupted.signal,
      // The run is a trace of its own (`eval <suite>`, a span per case, the model calls under them).
      recorder: conduit.traces,
      onProgress: (p) => {
        if (!bar) return;
        if (p.done === 0) bar.start(p.total, 0, p);
        else bar.update(p.done, p);
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
    bar?.stop();
    await conduit.close();
  }

  const json = await writeReports(run, {
    file,
    ...(flags.output ? { output: flags.output } : {}),
    ...(flags.junit ? { junit: flags.junit } : {}),
    ...(flags.html ? { html: flags.html } : {}),
  });
  io.stdout.write(flags.json ? `${JSON.stringify(json, null, 2)}\n` : runReport(run));
  if (run.summary.totals.errors > 0)
    throw new EvalExit(
      `${run.summary.totals.errors} results ended in an error: the run is incomplete`,
      EXIT_USAGE,
    );
  if (!run.summary.thresholdsPassed) throw new EvalExit('thresholds fail (see above)', EXIT_FAILURE);
  return EXIT_OK;
}

interface CompareFlags {
  json?: boolean;
  resamples?: number;
  confidence?: number;
  seed?: number;
  storage?: string;
}

type Action = (...args: never[]) => Promise<void>;

/**
 * Under main(), errors must carry eval's exit code through main's own mapping (UsageError → 2,
 * anything else → 1); in-process (runEval) they pass through and runEval maps them itself.
 */
function guard<A extends Action>(action: A, underMain: boolean): A {
  if (!underMain) return action;
  return (async (...args: never[]) => {
    try {
      await action(...args);
    } catch (error) {
      const exit = asEvalExit(error);
      throw exit.code === EXIT_FAILURE ? new Error(exit.message) : exit;
    }
  }) as A;
}

function buildEvalCommand(evalCommand: Command, io: EvalIo, underMain: boolean): Command {
  const globals = (command: Command) => command.optsWithGlobals<{ config?: string }>().config;
  evalCommand
    .description('Evaluate prompts × targets × test cases; compare and list stored runs')
    .addHelpText(
      'after',
      `
  $ conduit eval suite.yaml [options]        run a suite (see: conduit eval run --help)
  $ conduit eval list
  $ conduit eval compare latest~1 latest

Exit codes: 0 thresholds hold, 1 a threshold fails, 2 the suite could not run or a result errored.
Suite format: docs/evaluation.md`,
    );
  evalCommand
    .command('run', { isDefault: true })
    .description('Run a suite (the default: conduit eval suite.yaml)')
    .argument('<suite>', 'suite file (YAML)')
    .option('-o, --output <file>', 'write the results as JSON')
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--html <file>', 'write a self-contained HTML report')
    .option('--json', 'print the results JSON instead of the table')
    .option(
      '--concurrency <n>',
      'calls at once per target without its own concurrency (default 4)',
      positive('--concurrency'),
    )
    .option(
      '--no-cache',
      'call every model afresh (default: reuse answers cached under $CONDUIT_HOME/cache/eval)',
    )
    .option(
      '--judge <model>',
      'judge model for llm-rubric, factuality and the RAG metrics (overrides the suite)',
    )
    .option('--embedding <model>', 'embedding model for similar and answer-relevance (overrides the suite)')
    .option('--target <ids...>', 'run only these targets')
    .option(
      '--storage <url>',
      'where runs are stored (default: conduit.yaml storage, then $CONDUIT_HOME/conduit.db)',
    )
    .option('--no-store', 'do not store the run')
    .option('--no-progress', 'no progress bar')
    .addHelpText(
      'after',
      `
Exit codes: 0 thresholds hold, 1 a threshold fails, 2 the suite could not run or a result errored.

Examples:
  $ conduit eval suite.yaml
  $ conduit eval suite.yaml --junit junit.xml --html report.html -o results.json
  $ conduit eval suite.yaml --concurrency 16 --no-cache --judge openai:gpt-4o-mini`,
    )
    .action(
      guard(async (file: string, flags: RunFlags, command: Command) => {
        await executeRun(file, flags, globals(command), io);
      }, underMain),
    );

  evalCommand
    .command('list')
    .description('List stored runs, newest first')
    .option('--suite <name>', 'only runs of this suite')
    .option('--limit <n>', 'how many (default 20)', positive('--limit'))
    .option('--json', 'print JSON')
    .option('--storage <url>', 'storage URL')
    .action(
      guard(
        async (
          flags: { suite?: string; limit?: number; json?: boolean; storage?: string },
          command: Command,
        ) => {
          const conduit = await openRuntime(flags.storage, globals(command), io);
          const { storage } = conduit;
          try {
            const runs = await storage.evals.listRuns({
              limit: flags.limit ?? 20,
              ...(flags.suite ? { suite: flags.suite } : {}),
            });
            if (flags.json) {
              io.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
              return;
            }
            io.stdout.write(runsTable(runs));
          } finally {
            await conduit.close();
          }
        },
        underMain,
      ),
    );

  evalCommand
    .command('compare')
    .description('Compare two runs case by case: win/loss/tie, paired bootstrap CI, McNemar')
    .argument('<runA>', 'baseline run id (or latest~1)')
    .argument('<runB>', 'candidate run id (or latest)')
    .option('--json', 'print JSON')
    .option('--resamples <n>', 'bootstrap resamples (default 1000)', positive('--resamples'))
    .addOption(new Option('--confidence <p>', 'confidence level (default 0.95)').argParser(Number))
    .option('--seed <n>', 'bootstrap seed (default 12345)', (v) => Number.parseInt(v, 10))
    .option('--storage <url>', 'storage URL')
    .action(
      guard(async (refA: string, refB: string, flags: CompareFlags, command: Command) => {
        if (flags.confidence !== undefined && !(flags.confidence > 0 && flags.confidence < 1))
          throw new UsageError('--confidence must be between 0 and 1');
        const conduit = await openRuntime(flags.storage, globals(command), io);
        const { storage } = conduit;
        try {
          const idA = await resolveRunRef(storage.evals, refA);
          const idB = await resolveRunRef(storage.evals, refB);
          const comparison = compareRuns(
            await storage.evals.getResults(idA),
            await storage.evals.getResults(idB),
            {
              ...(flags.resamples ? { resamples: flags.resamples } : {}),
              ...(flags.confidence ? { confidence: flags.confidence } : {}),
              ...(flags.seed !== undefined && Number.isFinite(flags.seed) ? { seed: flags.seed } : {}),
            },
          );
          io.stdout.write(
            flags.json
              ? `${JSON.stringify({ a: idA, b: idB, ...comparison }, null, 2)}\n`
              : compareReport(comparison, { a: idA, b: idB }),
          );
        } finally {
          await conduit.close();
        }
      }, underMain),
    );
  return evalCommand;
}

/** Any failure of `conduit eval` exits 2 unless it carries its own code (see the module comment). */
function asEvalExit(error: unknown): EvalExit {
  if (error instanceof EvalExit) return error;
  if (SuiteError.isInstance(error) || error instanceof UsageError)
    return new EvalExit(error.message, EXIT_USAGE);
  const message = ConduitError.isInstance(error) || error instanceof Error ? error.message : String(error);
  return new EvalExit(message, EXIT_USAGE);
}

/** Adds `conduit eval` (run, list, compare) to the CLI; `io` is for tests. */
export function registerEvalCommand(program: Command, io: EvalIo = processIo()): void {
  buildEvalCommand(program.command('eval'), io, true);
}

/**
 * Runs `conduit eval <args>` in-process and resolves to the exit code.
 *
 * @example
 * const code = await runEval(['suite.yaml', '--junit', 'junit.xml'], io);
 */
export async function runEval(args: readonly string[], io: EvalIo = processIo()): Promise<number> {
  const root = new Command('conduit')
    .option('-c, --config <file>')
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.stdout.write(t), writeErr: (t) => io.stderr.write(t) });
  const evalCommand = buildEvalCommand(root.command('eval'), io, false);
  for (const sub of evalCommand.commands) sub.exitOverride();
  try {
    await root.parseAsync(['eval', ...args], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError)
      return error.code === 'commander.helpDisplayed' || error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    const exit = asEvalExit(error);
    io.stderr.write(`conduit: ${exit.message}\n`);
    return exit.code;
  }
}
