/**
 * `conduit ask`: answers a question from a collection with inline citations [n], each checked
 * against the chunk it cites. Streams the answer in the terminal, then lists the sources with their
 * quoted spans; `--json` prints answer, citations, chunks, usage, cost and timings. Without a model
 * the answer is extractive (the best passages, quoted) and says so.
 */
import type { Command } from 'commander';
import type { LanguageModel } from '../../core/language-model.js';
import { askStream } from '../../rag/answer/ask.js';
import type { AskResult } from '../../rag/answer/ask-result.js';
import type { Citation } from '../../rag/answer/check-citations.js';
import { sourcePath } from '../../rag/retrieval/retrieved-chunk.js';
import { askResultJson } from '../../rag/service/rag-json.js';
import { UsageError } from '../cli-error.js';
import { chosenModel, HOW_TO_CHOOSE_A_MODEL } from '../model-choice.js';
import { type CommandIo, openRagContext, positiveInt, processIo, requireCollection } from './ingest.js';
import { addRetrievalFlags, queryEmbedder, type RetrievalFlags, retrievalOptions } from './search.js';

export interface AskCommandOptions extends RetrievalFlags {
  verify?: boolean;
  maxContextTokens?: string;
}

/** Runs `conduit ask`; resolves to the exit code. */
export async function runAsk(question: string, flags: AskCommandOptions, io: CommandIo): Promise<number> {
  const collection = requireCollection(flags.collection);
  if (!question.trim())
    throw new UsageError(
      'give a question, e.g. conduit ask "How long is parental leave?" --collection handbook',
    );
  const maxContextTokens = positiveInt(flags.maxContextTokens, '--max-context-tokens');
  const context = await openRagContext(flags, io);
  try {
    const spec = chosenModel(flags.model, io.env, context.config);
    if (flags.verify && !spec)
      throw new UsageError(`--verify needs a generative model: ${HOW_TO_CHOOSE_A_MODEL}`);
    const model: LanguageModel | undefined = spec ? context.models.get(spec) : undefined;
    const retrieval = retrievalOptions(flags, { k: 8 }, model);
    const notices: string[] = [];
    const embedder = await queryEmbedder(context, collection, retrieval.mode, notices);
    const run = askStream({
      store: context.storage.documents,
      collection,
      question,
      retrieval,
      ...(model ? { model } : {}),
      ...(embedder ? { embedder } : {}),
      ...(flags.verify ? { verify: true } : {}),
      ...(maxContextTokens ? { maxContextTokens } : {}),
    });
    if (flags.json) {
      const result = await run.result;
      for (const notice of [...notices, ...result.retrieval.notices]) io.stderr.write(`conduit: ${notice}\n`);
      io.stdout.write(`${JSON.stringify(askResultJson(result), null, 2)}\n`);
      return 0;
    }
    let result: AskResult | undefined;
    for await (const event of run) {
      if (event.type === 'retrieval') {
        for (const notice of [...notices, ...event.notices]) io.stderr.write(`conduit: ${notice}\n`);
      } else if (event.type === 'step' && event.status === 'start' && flags.verify) {
        io.stderr.write(`conduit: ${STEP_LABELS[event.name] ?? event.name}…\n`);
      } else if (event.type === 'text-delta') {
        io.stdout.write(event.text);
      } else if (event.type === 'result') {
        result = event.result;
      } else if (event.type === 'error') {
        io.stdout.write('\n');
        throw event.error;
      }
    }
    if (result) io.stdout.write(formatSources(result));
    return 0;
  } finally {
    await context.close();
  }
}

const STEP_LABELS: Record<string, string> = {
  draft: 'verify: drafting an answer',
  judge: 'verify: checking the draft against the sources',
  refine: 'verify: refining the answer',
};

function formatSources(result: AskResult): string {
  const lines: string[] = [''];
  if (result.unsupportedAnswer) {
    lines.push(
      '',
      `⚠ ${result.warnings[0] ?? 'The answer is not supported by the documents.'}`,
      '→ Not found in the documents.',
    );
  }
  const cited = result.citations.filter((c) => c.chunkId !== null);
  if (cited.length > 0) {
    lines.push('', 'Sources:');
    for (const c of cited) lines.push(...formatCitation(c));
  }
  for (const warning of result.unsupportedAnswer ? result.warnings.slice(1) : result.warnings)
    lines.push(`⚠ ${warning}`);
  return `${lines.join('\n')}\n`;
}

function formatCitation(c: Citation): string[] {
  const where = sourcePath(c.title ?? c.documentId, c.headingPath).join(' › ');
  const page = c.page !== null ? `, page ${c.page}` : '';
  const out = [`[${c.n}] ${where}${page} — ${c.uri ?? c.documentId} [${c.start}–${c.end}]`];
  if (c.quote) {
    const quote = c.quote.replace(/\s+/g, ' ');
    const mark = c.verified ? '✓ quoted' : `? not verified (${c.reason})`;
    out.push(`    “${quote.length > 300 ? `${quote.slice(0, 299)}…` : quote}” ${mark}`);
  } else {
    out.push(`    ? not verified (${c.reason})`);
  }
  return out;
}

export function registerAskCommand(program: Command): void {
  addRetrievalFlags(
    program
      .command('ask')
      .description('Answer a question from a collection, with checked citations (extractive without a model)')
      .argument('<question...>', 'the question'),
    8,
  )
    .option(
      '-m, --model <model>',
      'generative model: provider:model or an alias (default $CONDUIT_MODEL, then default_model)',
    )
    .option('--verify', 'draft, have the model judge the draft against the sources, then refine it')
    .option(
      '--max-context-tokens <n>',
      'most tokens of sources in the prompt (default: fits the model, at most 12000)',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ conduit ask "How long is parental leave?" --collection handbook -m fast
  $ conduit ask "What is the escape velocity?" --collection physics -m openai:gpt-4o-mini --verify --json
  $ conduit ask "refund window" --collection docs          # no model: extractive answer`,
    )
    .action(async (question: string[], options: AskCommandOptions & { topK?: string }, command: Command) => {
      const globals = command.optsWithGlobals<{ config?: string }>();
      await runAsk(question.join(' '), { ...options, k: options.topK, config: globals.config }, processIo());
    });
}
