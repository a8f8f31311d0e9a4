/**
 * `conduit score bleu|chrf|rouge|squad`: reference-exact text metrics over line-aligned files (or a
 * JSONL file whose records may span lines), with sacreBLEU's option names, its score lines for
 * people and JSON for scripts. Exit codes: 0 scored, 2 bad usage or bad input, 1 anything else.
 */
import { readFile } from 'node:fs/promises';
import { Command, CommanderError, Option } from 'commander';
import type { BleuTokenizerName } from '../../eval/metrics/bleu/tokenizers.js';
import { assertRougeType } from '../../eval/metrics/rouge/rouge.js';
import {
  type AlignedTexts,
  bleuReport,
  chrfReport,
  parseJsonlPairs,
  parseLines,
  rougeReport,
  type ScoreReport,
  squadReport,
} from '../../eval/metrics/score-report.js';
import { evaluateSquadV2, type SquadDataset } from '../../eval/metrics/squad/evaluate-squad-v2.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from '../cli-error.js';

/** Where the command reads stdin and writes its output; the real process by default. */
export interface ScoreIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
}

interface InputOptions {
  hypotheses?: string;
  references?: string[];
  input?: string;
  json?: boolean;
  sentenceLevel?: boolean;
}

const processIo: ScoreIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: async () => {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    return text;
  },
};

async function readText(path: string, io: ScoreIo): Promise<string> {
  if (path === '-') return io.readStdin();
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new UsageError(
      `cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`,
    );
  }
}

async function readInputs(options: InputOptions, io: ScoreIo): Promise<AlignedTexts> {
  if (options.input) {
    if (options.hypotheses || options.references) {
      throw new UsageError('use either --input or --hypotheses with --references, not both');
    }
    const text = await readText(options.input, io);
    try {
      return parseJsonlPairs(text, options.input);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  if (!options.hypotheses || !options.references?.length) {
    throw new UsageError('give --hypotheses <file> and --references <file...>, or --input <pairs.jsonl>');
  }
  const hypotheses = parseLines(await readText(options.hypotheses, io));
  const references: string[][] = [];
  for (const path of options.references) {
    const refs = parseLines(await readText(path, io));
    if (refs.length !== hypotheses.length) {
      throw new UsageError(
        `${options.hypotheses} has ${hypotheses.length} lines but ${path} has ${refs.length}; ` +
          'hypotheses and references must be line-aligned',
      );
    }
    references.push(refs);
  }
  return { hypotheses, references };
}

function print(report: ScoreReport, json: boolean | undefined, io: ScoreIo): void {
  if (json) io.stdout(`${JSON.stringify(report.json, null, 2)}\n`);
  else io.stdout(report.lines.map((line) => `${line}\n`).join(''));
}

/** A commander argument parser for numeric options; `min` makes it an integer of at least `min`. */
function numeric(name: string, min?: number) {
  return (value: string) => {
    const n = Number(value);
    const ok =
      value.trim() !== '' && (min === undefined ? Number.isFinite(n) : Number.isInteger(n) && n >= min);
    if (!ok)
      throw new UsageError(
        `${name} must be ${min === undefined ? 'a number' : `an integer ≥ ${min}`}, got "${value}"`,
      );
    return n;
  };
}

function withInputs(command: Command): Command {
  return command
    .option('--hypotheses <file>', 'system outputs, one per line ("-" for stdin)')
    .option('--references <files...>', 'reference files, line-aligned with the hypotheses')
    .option('-i, --input <file>', 'JSONL of {"hypothesis": …, "references": [...]} records (may span lines)')
    .option('--sentence-level', 'one score per segment')
    .option('--json', 'print JSON instead of score lines');
}

function addBleu(score: Command, io: ScoreIo): void {
  withInputs(score.command('bleu').description('BLEU exactly as sacreBLEU computes it'))
    .addOption(
      new Option('--tokenize <name>', 'tokenizer')
        .choices(['13a', 'none', 'intl', 'char', 'zh'])
        .default('13a'),
    )
    .addOption(
      new Option('--smooth-method <method>', 'smoothing')
        .choices(['exp', 'floor', 'add-k', 'none'])
        .default('exp'),
    )
    .option(
      '--smooth-value <n>',
      'value for floor (default 0.1) and add-k (default 1)',
      numeric('--smooth-value'),
    )
    .option('--lowercase', 'case-insensitive BLEU')
    .option('--max-ngram-order <n>', 'highest n-gram order (default 4)', numeric('--max-ngram-order', 1))
    .option('--effective-order', 'leave out n-gram orders without matches (always on with --sentence-level)')
    .addHelpText(
      'after',
      '\nExample:\n  $ conduit score bleu --hypotheses out.txt --references ref1.txt ref2.txt --json',
    )
    .action(async (o) => {
      const bleuOptions = {
        tokenize: o.tokenize as BleuTokenizerName,
        smoothMethod: o.smoothMethod,
        smoothValue: o.smoothValue,
        lowercase: Boolean(o.lowercase),
        maxNgramOrder: o.maxNgramOrder,
        effectiveOrder: Boolean(o.effectiveOrder),
      };
      print(bleuReport(await readInputs(o, io), bleuOptions, o.sentenceLevel), o.json, io);
    });
}

function addChrf(score: Command, io: ScoreIo): void {
  withInputs(
    score.command('chrf').description('chrF (or chrF++ with --chrf-word-order 2) as sacreBLEU computes it'),
  )
    .option('--chrf-char-order <n>', 'character n-gram order (default 6)', numeric('--chrf-char-order', 1))
    .option(
      '--chrf-word-order <n>',
      'word n-gram order: 0 chrF (default), 2 chrF++',
      numeric('--chrf-word-order', 0),
    )
    .option('--chrf-beta <n>', 'recall weight (default 2)', numeric('--chrf-beta', 0))
    .option('--chrf-whitespace', 'keep whitespace in character n-grams')
    .option('--chrf-eps-smoothing', 'chrF++.py epsilon smoothing instead of effective order')
    .option('--lowercase', 'case-insensitive chrF')
    .addHelpText(
      'after',
      '\nExample:\n  $ conduit score chrf --chrf-word-order 2 --hypotheses out.txt --references ref.txt',
    )
    .action(async (o) => {
      const chrfOptions = {
        charOrder: o.chrfCharOrder,
        wordOrder: o.chrfWordOrder,
        beta: o.chrfBeta,
        whitespace: Boolean(o.chrfWhitespace),
        epsSmoothing: Boolean(o.chrfEpsSmoothing),
        lowercase: Boolean(o.lowercase),
      };
      print(chrfReport(await readInputs(o, io), chrfOptions, o.sentenceLevel), o.json, io);
    });
}

function addRouge(score: Command, io: ScoreIo): void {
  withInputs(score.command('rouge').description("ROUGE-1/2/L/Lsum as Google's rouge-score computes them"))
    .option('--use-stemmer', "Porter-stem tokens longer than 3 characters (NLTK's stemmer, as rouge-score)")
    .option(
      '--rouge-types <types>',
      'comma-separated: rouge1…rouge9, rougeL, rougeLsum',
      'rouge1,rouge2,rougeL,rougeLsum',
    )
    .addHelpText(
      'after',
      '\nrougeLsum splits summaries on newlines: use --input JSONL for multi-sentence summaries.\n' +
        'With several references each type takes the best one (rouge-score score_multi).\n' +
        'Example:\n  $ conduit score rouge --use-stemmer --input summaries.jsonl --json',
    )
    .action(async (o) => {
      const rougeTypes = String(o.rougeTypes)
        .split(',')
        .map((t) => t.trim());
      try {
        rougeTypes.forEach(assertRougeType);
      } catch (error) {
        throw new UsageError(`--rouge-types: ${(error as Error).message}`);
      }
      const report = rougeReport(
        await readInputs(o, io),
        { rougeTypes, useStemmer: Boolean(o.useStemmer) },
        o.sentenceLevel,
      );
      print(report, o.json, io);
    });
}

async function readJson<T>(path: string, io: ScoreIo): Promise<T> {
  try {
    return JSON.parse(await readText(path, io)) as T;
  } catch (cause) {
    if (cause instanceof UsageError) throw cause;
    throw new UsageError(`${path}: not JSON (${(cause as Error).message})`);
  }
}

function addSquad(score: Command, io: ScoreIo): void {
  withInputs(
    score.command('squad').description('SQuAD v2.0 exact match and F1 with the official normalization'),
  )
    .option('--dataset <file>', 'official SQuAD v2.0 dataset JSON (with --predictions)')
    .option('--predictions <file>', 'JSON object of question id → predicted answer')
    .option('--na-prob-file <file>', 'JSON object of question id → no-answer probability')
    .option(
      '--na-prob-thresh <p>',
      'predict no answer above this probability (default 1.0)',
      numeric('--na-prob-thresh'),
    )
    .addHelpText(
      'after',
      '\nLine mode: each references file gives one gold answer per line; empty lines mean "none".\n' +
        'A question with no gold answer is unanswerable: only an empty prediction scores.\n' +
        'Examples:\n  $ conduit score squad --hypotheses answers.txt --references gold1.txt gold2.txt\n' +
        '  $ conduit score squad --dataset dev-v2.0.json --predictions predictions.json --json',
    )
    .action(async (o) => {
      if (o.dataset || o.predictions) {
        if (!o.dataset || !o.predictions) throw new UsageError('--dataset and --predictions go together');
        const dataset = await readJson<SquadDataset>(o.dataset, io);
        const predictions = await readJson<Record<string, string>>(o.predictions, io);
        const naProbs = o.naProbFile ? await readJson<Record<string, number>>(o.naProbFile, io) : undefined;
        let result: ReturnType<typeof evaluateSquadV2>;
        try {
          result = evaluateSquadV2(dataset, predictions, { naProbs, naProbThresh: o.naProbThresh });
        } catch (error) {
          throw new UsageError(`${o.predictions}: ${(error as Error).message}`);
        }
        const text = Object.entries(result).map(([key, value]) => `${key} = ${value}\n`);
        io.stdout(o.json ? `${JSON.stringify(result, null, 2)}\n` : text.join(''));
        return;
      }
      print(squadReport(await readInputs(o, io), o.sentenceLevel), o.json, io);
    });
}

function buildScoreCommand(score: Command, io: ScoreIo): Command {
  score.description('Score outputs against references: BLEU, chrF, ROUGE, SQuAD (reference-exact)');
  addBleu(score, io);
  addChrf(score, io);
  addRouge(score, io);
  addSquad(score, io);
  return score;
}

/** Adds `conduit score` and its subcommands to the CLI. */
export function registerScoreCommand(program: Command): void {
  buildScoreCommand(program.command('score'), processIo);
}

/**
 * Runs `conduit score <args>` in-process and resolves to the exit code; output goes to `io`.
 *
 * @example
 * const code = await runScore(['bleu', '--hypotheses', 'h.txt', '--references', 'r.txt', '--json']);
 */
export async function runScore(args: readonly string[], io: ScoreIo = processIo): Promise<number> {
  const root = new Command('conduit').exitOverride().configureOutput({
    writeOut: (text) => io.stdout(text),
    writeErr: (text) => io.stderr(text),
  });
  buildScoreCommand(root.command('score'), io);
  try {
    await root.parseAsync(['score', ...args], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    io.stderr(`conduit: ${(error as Error).message}\n`);
    return error instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
  }
}
