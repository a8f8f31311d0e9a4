/**
 * `conduit ingest`: load files, directories, globs and URLs into a collection — incremental by
 * content hash, with a progress bar and a summary. Also home of what the three RAG commands share:
 * opening storage and resolving models from conduit.yaml (`openRagContext`), and the IO they write to.
 */
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { EmbeddingModel } from '../../core/language-model.js';
import { type IngestSummary, ingest } from '../../rag/ingest/ingest.js';
import { type Conduit, openConduit } from '../../runtime/open-conduit.js';
import { UsageError } from '../cli-error.js';

/** Where a command writes and what it reads from its environment; tests pass their own. */
export interface CommandIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIo(): CommandIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

export type RagContext = Conduit;

/** The runtime, with storage from `--storage`, then `storage:` in conduit.yaml, then $CONDUIT_HOME/conduit.db. */
export function openRagContext(
  options: { config?: string; storage?: string },
  io: CommandIo,
): Promise<RagContext> {
  return openConduit({
    config: options.config,
    env: io.env,
    cwd: io.cwd,
    surface: 'cli',
    ...(options.storage ? { storage: options.storage } : {}),
  });
}

export function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${flag} must be a positive integer, got "${value}"`);
  return n;
}

export function requireCollection(name: string | undefined): string {
  if (!name?.trim()) throw new UsageError('--collection <name> is required');
  return name.trim();
}

export interface IngestCommandOptions {
  collection?: string;
  embeddingModel?: string;
  idField?: string;
  textField?: string;
  titleField?: string;
  chunkSize?: string;
  chunkOverlap?: string;
  prune?: boolean;
  reset?: boolean;
  allowPrivateUrls?: boolean;
  maxUrlBytes?: string;
  urlTimeout?: string;
  storage?: string;
  config?: string;
  json?: boolean;
}

/** Runs `conduit ingest`; resolves to the exit code (1 when any source failed). */
export async function runIngest(
  inputs: string[],
  options: IngestCommandOptions,
  io: CommandIo,
): Promise<number> {
  const collection = requireCollection(options.collection);
  if (inputs.length === 0) throw new UsageError('name at least one file, directory, glob or URL to ingest');
  const maxTokens = positiveInt(options.chunkSize, '--chunk-size');
  const overlap = options.chunkOverlap === undefined ? undefined : Number(options.chunkOverlap);
  if (overlap !== undefined && (!Number.isInteger(overlap) || overlap < 0))
    throw new UsageError(`--chunk-overlap must be a non-negative integer, got "${options.chunkOverlap}"`);
  const maxBytes = positiveInt(options.maxUrlBytes, '--max-url-bytes');
  const timeoutMs = positiveInt(options.urlTimeout, '--url-timeout');

  const context = await openRagContext(options, io);
  try {
    const store = context.storage.documents;
    if (options.reset) await store.deleteCollection(collection);
    const existing = await store.getCollection(collection);
    const recorded = existing?.metadata.embedding_model;
    const spec =
      options.embeddingModel ??
      (typeof recorded === 'string' ? recorded : existing ? undefined : io.env.CONDUIT_EMBEDDING_MODEL);
    const embedder: EmbeddingModel | undefined = spec ? context.models.embedding(spec) : undefined;
    const bar = !options.json && io.stderr.isTTY ? progressBar(io) : undefined;
    const summary = await ingest({
      store,
      collection,
      inputs,
      cwd: io.cwd,
      ...(embedder && spec ? { embedder, embedderName: spec } : {}),
      chunking: {
        ...(maxTokens !== undefined ? { maxTokens } : {}),
        ...(overlap !== undefined ? { overlapTokens: overlap } : {}),
      },
      ...(options.idField ? { idField: options.idField } : {}),
      ...(options.textField ? { textField: options.textField } : {}),
      ...(options.titleField ? { titleField: options.titleField } : {}),
      prune: !!options.prune,
      fetch: {
        allowPrivateNetwork: !!options.allowPrivateUrls,
        ...(maxBytes ? { maxBytes } : {}),
        ...(timeoutMs ? { timeoutMs } : {}),
      },
      onProgress: (event) => {
        if (!bar) return;
        if (event.type === 'start') bar.start(event.sources, 0, { source: '' });
        else bar.update(event.done, { source: shorten(event.source, 40) });
      },
    }).finally(() => bar?.stop());
    if (options.json) io.stdout.write(`${JSON.stringify(summaryJson(summary), null, 2)}\n`);
    else io.stdout.write(formatSummary(summary));
    return summary.failed.length > 0 ? 1 : 0;
  } finally {
    await context.close();
  }
}

export function summaryJson(s: IngestSummary) {
  return {
    collection: s.collection,
    files: s.files,
    documents: s.documents,
    chunks: s.chunks,
    skipped: s.skipped,
    failed: s.failed,
    embedding_model: s.embeddings.model,
    embedding_tokens: s.embeddings.tokens,
    embedding_cost_usd: s.embeddings.costUsd,
    notices: s.notices,
    elapsed_ms: s.elapsedMs,
  };
}

function formatSummary(s: IngestSummary): string {
  const d = s.documents;
  const lines = [
    `Ingested into "${s.collection}": ${plural(s.files, 'file')}, ${plural(s.chunks, 'chunk')} written in ${(s.elapsedMs / 1000).toFixed(1)} s`,
    `  documents: ${d.added} added, ${d.updated} updated, ${d.unchanged} unchanged (skipped), ${d.removed} removed`,
  ];
  if (s.skipped > 0) lines.push(`  skipped: ${plural(s.skipped, 'file')} of an unsupported type`);
  if (s.embeddings.model) lines.push(`  embeddings: ${s.embeddings.model}, ${s.embeddings.tokens} tokens`);
  for (const notice of s.notices) lines.push(`  ${notice}`);
  if (s.failed.length > 0) {
    lines.push(`  failed: ${s.failed.length}`);
    for (const f of s.failed) lines.push(`    ${f.source}: ${f.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

function progressBar(io: CommandIo): SingleBar {
  return new SingleBar({
    format: 'ingest [{bar}] {value}/{total} {source}',
    stream: io.stderr as NodeJS.WritableStream, // only used when stderr is a terminal
    hideCursor: true,
    clearOnComplete: true,
    barsize: 24,
  });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `…${text.slice(-(max - 1))}`;
}

export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description(
      'Load files, directories, globs or URLs into a collection (incremental; re-running is idempotent)',
    )
    .argument('<inputs...>', '.txt .md .html .pdf .jsonl files, directories (recursive), globs, http(s) URLs')
    .option('--collection <name>', 'collection to ingest into (created when missing)')
    .option(
      '--embedding-model <model>',
      'embedding model for new collections (default $CONDUIT_EMBEDDING_MODEL; none = BM25 only)',
    )
    .option('--id-field <field>', 'JSONL: field holding the document id (default id, then _id)')
    .option('--text-field <field>', 'JSONL: field holding the text (default text, then content, body)')
    .option('--title-field <field>', 'JSONL: field holding the title (default title)')
    .option('--chunk-size <tokens>', 'largest chunk in tokens (default 512)')
    .option('--chunk-overlap <tokens>', 'tokens repeated between consecutive chunks (default 64)')
    .option('--prune', 'delete documents whose source under the given inputs has disappeared')
    .option('--reset', 'delete the collection first')
    .option('--allow-private-urls', 'allow URLs on loopback, private and link-local addresses')
    .option('--max-url-bytes <n>', 'largest URL download (default 20 MiB)')
    .option('--url-timeout <ms>', 'deadline per URL (default 30000)')
    .option('--storage <url>', 'storage URL (default: conduit.yaml storage, then $CONDUIT_HOME/conduit.db)')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ conduit ingest docs/ --collection handbook
  $ conduit ingest 'papers/**/*.pdf' https://example.com/faq.html --collection research --prune
  $ conduit ingest corpus.jsonl --collection cranfield --id-field _id --text-field text --title-field title`,
    )
    .action(async (inputs: string[], options: IngestCommandOptions, command: Command) => {
      const globals = command.optsWithGlobals<{ config?: string }>();
      const code = await runIngest(inputs, { ...options, config: globals.config }, processIo());
      if (code !== 0) throw new Error('some sources could not be ingested (see "failed" above)');
    });
}
