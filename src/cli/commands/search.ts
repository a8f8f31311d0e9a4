/**
 * `conduit search`: ranked chunks (or documents, with --by-document) of a collection for a query, as
 * text or as the JSON `{ "results": [ { chunk_id, document_id, score, text, source } ] }`. Also the
 * retrieval flags and helpers that `ask` shares: filters, mode, MMR, reranking, query embedder.
 */
import type { Command } from 'commander';
import { ConduitError } from '../../core/errors.js';
import type { EmbeddingModel, LanguageModel } from '../../core/language-model.js';
import { embeddingModelOf } from '../../rag/ingest/collection-settings.js';
import { createLlmReranker } from '../../rag/retrieval/llm-reranker.js';
import type { RetrieveOptions } from '../../rag/retrieval/retrieve.js';
import { retrieve } from '../../rag/retrieval/retrieve.js';
import { type RetrievalMode, sourcePath } from '../../rag/retrieval/retrieved-chunk.js';
import { searchResultsJson } from '../../rag/service/rag-json.js';
import { type MetadataFilter, metadataFilterSchema } from '../../storage/ports/metadata-filter.js';
import { UsageError } from '../cli-error.js';
import { chosenModel, HOW_TO_CHOOSE_A_MODEL } from '../model-choice.js';
import {
  type CommandIo,
  openRagContext,
  positiveInt,
  processIo,
  type RagContext,
  requireCollection,
} from './ingest.js';

export interface RetrievalFlags {
  collection?: string;
  k?: string;
  mode?: string;
  filter?: string;
  where?: string[];
  mmr?: string | boolean;
  rerank?: boolean;
  model?: string;
  storage?: string;
  config?: string;
  json?: boolean;
}

const MODES = ['bm25', 'dense', 'hybrid'] as const;

/** `--filter <json>` and repeated `--where field=value` (also !=, >=, <=, >, <), combined with AND. */
export function parseFilterFlags(
  filter: string | undefined,
  where: string[] = [],
): MetadataFilter | undefined {
  const parts: MetadataFilter[] = [];
  if (filter) {
    let json: unknown;
    try {
      json = JSON.parse(filter);
    } catch (error) {
      throw new UsageError(`--filter must be JSON: ${(error as Error).message}`);
    }
    const parsed = metadataFilterSchema.safeParse(json);
    if (!parsed.success)
      throw new UsageError(`--filter: ${parsed.error.issues[0]?.message ?? 'invalid filter'}`);
    parts.push(parsed.data);
  }
  const ops = { '!=': 'ne', '>=': 'gte', '<=': 'lte', '=': 'eq', '>': 'gt', '<': 'lt' } as const;
  for (const clause of where) {
    const m = /^([^!<>=\s]+)\s*(!=|>=|<=|=|>|<)\s*(.*)$/.exec(clause);
    if (!m) throw new UsageError(`--where must look like field=value (or !=, >=, <=, >, <), got "${clause}"`);
    const op = ops[m[2] as keyof typeof ops];
    let value: unknown = m[3];
    try {
      value = JSON.parse(m[3]!); // numbers, booleans, null and quoted strings keep their JSON type
    } catch {
      // a bare word is a string
    }
    const parsed = metadataFilterSchema.safeParse({ field: m[1], op, value });
    if (!parsed.success) throw new UsageError(`--where "${clause}": ${parsed.error.issues[0]?.message}`);
    parts.push(parsed.data);
  }
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { and: parts };
}

export function parseMode(mode: string | undefined): RetrievalMode | undefined {
  if (mode === undefined) return undefined;
  if (!(MODES as readonly string[]).includes(mode))
    throw new UsageError(`--mode must be one of ${MODES.join(', ')}, got "${mode}"`);
  return mode as RetrievalMode;
}

function parseMmr(mmr: string | boolean | undefined): RetrieveOptions['mmr'] {
  if (mmr === undefined || mmr === false) return undefined;
  if (mmr === true) return true;
  const lambda = Number(mmr);
  if (!Number.isFinite(lambda) || lambda < 0 || lambda > 1)
    throw new UsageError(`--mmr takes a lambda from 0 to 1, got "${mmr}"`);
  return { lambda };
}

/**
 * The query embedder: the collection's recorded embedding model. With the default mode, a model that
 * cannot be resolved (no API key offline) means BM25 with a notice; an explicit dense/hybrid fails.
 */
export async function queryEmbedder(
  context: RagContext,
  collection: string,
  mode: RetrievalMode | undefined,
  notices: string[],
): Promise<EmbeddingModel | undefined> {
  if (mode === 'bm25') return undefined;
  const found = await context.storage.documents.getCollection(collection);
  if (!found)
    throw new ConduitError('not_found', `Collection ${collection} not found`, { param: 'collection' });
  const spec = embeddingModelOf(found);
  if (!spec) return undefined;
  try {
    return context.models.embedding(spec);
  } catch (error) {
    if (mode) throw error;
    notices.push(
      `BM25 only: the collection's embedding model ${spec} is not available (${(error as Error).message}).`,
    );
    return undefined;
  }
}

/** Retrieval options from the shared flags. */
export function retrievalOptions(
  flags: RetrievalFlags,
  defaults: { k: number },
  model: LanguageModel | undefined,
): Omit<RetrieveOptions, 'store' | 'collection' | 'query' | 'embedder'> {
  const k = positiveInt(flags.k, '-k') ?? defaults.k;
  const mode = parseMode(flags.mode);
  const filter = parseFilterFlags(flags.filter, flags.where);
  const mmr = parseMmr(flags.mmr);
  if (flags.rerank && !model)
    throw new UsageError(`--rerank needs a model to rank with: ${HOW_TO_CHOOSE_A_MODEL}`);
  return {
    k,
    ...(mode ? { mode } : {}),
    ...(filter ? { filter } : {}),
    ...(mmr ? { mmr } : {}),
    ...(flags.rerank && model ? { reranker: createLlmReranker({ model }) } : {}),
  };
}

export interface SearchCommandOptions extends RetrievalFlags {
  byDocument?: boolean;
}

/** Runs `conduit search`; resolves to the exit code. */
export async function runSearch(query: string, flags: SearchCommandOptions, io: CommandIo): Promise<number> {
  const collection = requireCollection(flags.collection);
  if (!query.trim())
    throw new UsageError('give a query, e.g. conduit search "parental leave" --collection handbook');
  const context = await openRagContext(flags, io);
  try {
    const spec = flags.rerank ? chosenModel(flags.model, io.env, context.config) : undefined;
    const model = spec ? context.models.get(spec) : undefined;
    const options = retrievalOptions(flags, { k: 10 }, model);
    const notices: string[] = [];
    const embedder = await queryEmbedder(context, collection, options.mode, notices);
    const result = await retrieve({
      ...options,
      store: context.storage.documents,
      collection,
      query,
      ...(embedder ? { embedder } : {}),
      ...(flags.byDocument ? { byDocument: true } : {}),
    });
    for (const notice of [...notices, ...result.notices]) io.stderr.write(`conduit: ${notice}\n`);
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(searchResultsJson(result.hits), null, 2)}\n`);
      return 0;
    }
    if (result.hits.length === 0) io.stdout.write('No results.\n');
    for (const [i, hit] of result.hits.entries()) {
      const where = sourcePath(hit.document.title ?? hit.document.id, hit.chunk.headingPath).join(' › ');
      const page = hit.chunk.page !== null ? `, page ${hit.chunk.page}` : '';
      const text = hit.chunk.text.replace(/\s+/g, ' ');
      io.stdout.write(
        `${String(i + 1).padStart(2)}. ${hit.score.toFixed(4)}  ${where}${page}\n` +
          `    ${hit.document.uri ?? hit.document.id}  [${hit.chunk.start}–${hit.chunk.end}]\n` +
          `    ${text.length > 240 ? `${text.slice(0, 239)}…` : text}\n`,
      );
    }
    return 0;
  } finally {
    await context.close();
  }
}

/** The retrieval flags, shared with `ask`. */
export function addRetrievalFlags(command: Command, k: number): Command {
  return command
    .option('--collection <name>', 'collection to search')
    .option('-k, --top-k <n>', `how many results (default ${k})`)
    .option(
      '--mode <mode>',
      'bm25 | dense | hybrid (default: hybrid when the collection has embeddings, else bm25)',
    )
    .option('--filter <json>', 'metadata filter, e.g. \'{"field":"lang","op":"eq","value":"en"}\'')
    .option('--where <field=value...>', 'metadata condition (=, !=, >=, <=, >, <); repeat to AND them')
    .option('--mmr [lambda]', 'diversify results with maximal marginal relevance (lambda 0..1, default 0.7)')
    .option('--rerank', 'rerank the top candidates with the model (listwise)')
    .option('--storage <url>', 'storage URL (default: conduit.yaml storage, then $CONDUIT_HOME/conduit.db)')
    .option('--json', 'print JSON');
}

export function registerSearchCommand(program: Command): void {
  addRetrievalFlags(
    program
      .command('search')
      .description('Search a collection: BM25, dense or hybrid retrieval with filters')
      .argument('<query...>', 'what to search for'),
    10,
  )
    .option('--by-document', 'rank documents (each by its best chunk) instead of chunks')
    .option('-m, --model <model>', 'model for --rerank (default $CONDUIT_MODEL, then default_model)')
    .addHelpText(
      'after',
      `
Examples:
  $ conduit search "parental leave" --collection handbook
  $ conduit search "boundary layer transition" --collection cranfield -k 20 --by-document --json
  $ conduit search "refund policy" --collection docs --where lang=en --mode bm25`,
    )
    .action(async (query: string[], options: SearchCommandOptions & { topK?: string }, command: Command) => {
      const globals = command.optsWithGlobals<{ config?: string }>();
      await runSearch(query.join(' '), { ...options, k: options.topK, config: globals.config }, processIo());
    });
}
