/**
 * Every `conduit` command as the top-level program lists it, and where its code lives. The program
 * is built from this table alone; only the module of the command actually run is imported, so
 * `conduit --version`, `--help` and a typo cost no provider, engine or server code (see bench:cli).
 *
 * `term` and `description` repeat what each command registers; test/cli/command-table.test.ts fails
 * when they drift apart.
 */
import type { Command } from 'commander';

export interface CommandEntry {
  /** As `conduit --help` lists it: the name (`|alias`), then `[options]` and the arguments. */
  term: string;
  description: string;
  /** Another name the command answers to. */
  alias?: string;
  /** Imports the command's module and returns the function that adds it to the program. */
  load: () => Promise<(program: Command) => void>;
}

export const COMMANDS = {
  serve: {
    term: 'serve [options]',
    description: 'Run the OpenAI- and Anthropic-compatible gateway',
    load: async () => (await import('./commands/serve.js')).registerServeCommand,
  },
  chat: {
    term: 'chat [options] [prompt...]',
    description: 'Chat with a model: streams the answer; with no prompt, starts an interactive session',
    load: async () => (await import('./commands/chat.js')).registerChatCommand,
  },
  models: {
    term: 'models [options]',
    description: 'List configured models with context window and price (USD per 1M tokens)',
    load: async () => (await import('./commands/models.js')).registerModelsCommand,
  },
  pull: {
    term: 'pull [options] <source>',
    description: 'Download a GGUF model (Hugging Face file or URL) into the model store',
    load: async () => (await import('./commands/pull.js')).registerPullCommand,
  },
  list: {
    term: 'list|ls [options]',
    description: 'List the models in the local model store with size and modification time',
    alias: 'ls',
    load: async () => (await import('./commands/list.js')).registerListCommand,
  },
  ps: {
    term: 'ps [options]',
    description: 'Show the local models a running gateway has loaded: size, requests, context, unload time',
    load: async () => (await import('./commands/ps.js')).registerPsCommand,
  },
  rm: {
    term: 'rm [options] <names...>',
    description: 'Delete models from the local model store',
    load: async () => (await import('./commands/rm.js')).registerRmCommand,
  },
  keys: {
    term: 'keys',
    description: 'Manage virtual API keys for the gateway',
    load: async () => (await import('./commands/keys.js')).registerKeysCommand,
  },
  logs: {
    term: 'logs [options]',
    description: 'Show the gateway request log: newest first, or follow new requests',
    load: async () => (await import('./commands/logs.js')).registerLogsCommand,
  },
  traces: {
    term: 'traces',
    description: 'Show stored traces: list them, or print one as a span tree',
    load: async () => (await import('./commands/traces.js')).registerTracesCommand,
  },
  ingest: {
    term: 'ingest [options] <inputs...>',
    description:
      'Load files, directories, globs or URLs into a collection (incremental; re-running is idempotent)',
    load: async () => (await import('./commands/ingest.js')).registerIngestCommand,
  },
  search: {
    term: 'search [options] <query...>',
    description: 'Search a collection: BM25, dense or hybrid retrieval with filters',
    load: async () => (await import('./commands/search.js')).registerSearchCommand,
  },
  collections: {
    term: 'collections',
    description: 'List or delete RAG collections: documents, chunks, embedding model, last update',
    load: async () => (await import('./commands/collections.js')).registerCollectionsCommand,
  },
  ask: {
    term: 'ask [options] <question...>',
    description: 'Answer a question from a collection, with checked citations (extractive without a model)',
    load: async () => (await import('./commands/ask.js')).registerAskCommand,
  },
  eval: {
    term: 'eval',
    description: 'Evaluate prompts × targets × test cases; compare and list stored runs',
    load: async () => (await import('./commands/eval.js')).registerEvalCommand,
  },
  score: {
    term: 'score',
    description: 'Score outputs against references: BLEU, chrF, ROUGE, SQuAD (reference-exact)',
    load: async () => (await import('./commands/score.js')).registerScoreCommand,
  },
} satisfies Record<string, CommandEntry>;

export type CommandName = keyof typeof COMMANDS;

/** The command a name or alias on the command line means, if any. */
export function commandNamed(name: string | undefined): CommandName | undefined {
  if (name === undefined) return undefined;
  if (Object.hasOwn(COMMANDS, name)) return name as CommandName;
  const entries = Object.entries(COMMANDS) as [CommandName, CommandEntry][];
  return entries.find(([, entry]) => entry.alias === name)?.[0];
}
