/**
 * `conduit collections list|delete <name>`: the RAG collections in the configured storage (what
 * `ingest` fills and `search` and `ask` read) with their documents, chunks, embedding model and last
 * update, and deleting one with everything in it. Like `rm`, `delete` asks first only in a terminal.
 */
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { ConduitError } from '../../core/errors.js';
import { collectionJson } from '../../rag/service/rag-json.js';
import type { Collection, DocumentStore } from '../../storage/ports/document-store.js';
import { formatTable } from '../format-table.js';
import { openRagContext, processIo } from './ingest.js';
import { formatAge } from './list.js';

interface CollectionsFlags {
  storage?: string;
  json?: boolean;
  yes?: boolean;
}

/** When a document was last added or changed (the collection's creation when it has none). */
async function updatedAt(store: DocumentStore, collection: Collection): Promise<number> {
  const documents = await store.listDocuments(collection.name);
  return documents.reduce((latest, d) => Math.max(latest, d.updatedAt), collection.createdAt);
}

async function withStore<T>(
  command: Command,
  flags: CollectionsFlags,
  fn: (store: DocumentStore) => Promise<T>,
) {
  const globals = command.optsWithGlobals<{ config?: string }>();
  const conduit = await openRagContext({ config: globals.config, storage: flags.storage }, processIo());
  try {
    return await fn(conduit.storage.documents);
  } finally {
    await conduit.close();
  }
}

async function list(store: DocumentStore, flags: CollectionsFlags): Promise<void> {
  const collections = await store.listCollections();
  const rows = await Promise.all(
    collections.map(async (c) => ({ ...collectionJson(c), updated_at: new Date(await updatedAt(store, c)) })),
  );
  if (flags.json) {
    const json = rows.map((r) => ({ ...r, updated_at: r.updated_at.toISOString() }));
    process.stdout.write(`${JSON.stringify({ collections: json }, null, 2)}\n`);
    return;
  }
  if (rows.length === 0) {
    process.stdout.write('No collections. Create one with `conduit ingest <files> --collection <name>`.\n');
    return;
  }
  const now = Date.now();
  process.stdout.write(
    formatTable(
      ['NAME', 'DOCUMENTS', 'CHUNKS', 'EMBEDDING MODEL', 'UPDATED'],
      rows.map((r) => [
        r.name,
        String(r.document_count),
        String(r.chunk_count),
        r.embedding_model ?? 'none (BM25 only)',
        formatAge(r.updated_at, now),
      ]),
    ),
  );
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } catch {
    return false; // stdin closed (Ctrl-D)
  } finally {
    rl.close();
  }
}

async function remove(store: DocumentStore, name: string, flags: CollectionsFlags): Promise<void> {
  const found = await store.getCollection(name);
  if (!found) {
    const names = (await store.listCollections()).map((c) => c.name);
    const known = names.length > 0 ? `Collections: ${names.join(', ')}.` : 'There are no collections.';
    throw new ConduitError('not_found', `No collection "${name}". ${known} Nothing was deleted.`, {
      param: 'name',
    });
  }
  const what = `${found.documentCount} document${found.documentCount === 1 ? '' : 's'}, ${found.chunkCount} chunk${found.chunkCount === 1 ? '' : 's'}`;
  // Asked only of a person at a terminal: a script (stdin not a TTY) or --yes deletes at once.
  if (
    !flags.yes &&
    process.stdin.isTTY &&
    !(await confirm(`Delete collection "${name}" (${what})? [y/N] `))
  ) {
    process.stderr.write('Nothing was deleted.\n');
    return;
  }
  await store.deleteCollection(name);
  if (flags.json) {
    const json = { name, deleted: true, document_count: found.documentCount, chunk_count: found.chunkCount };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  process.stdout.write(`Deleted collection "${name}" (${what})\n`);
}

const STORAGE_HELP = 'storage URL (default: conduit.yaml storage, then $CONDUIT_HOME/conduit.db)';

/**
 * Adds `collections` to the program.
 *
 * @example
 * registerCollectionsCommand(program);
 * // $ conduit collections list
 * // NAME      DOCUMENTS  CHUNKS  EMBEDDING MODEL                UPDATED
 * // handbook         12     240  openai:text-embedding-3-small  2 days ago
 */
export function registerCollectionsCommand(program: Command): void {
  const collections = program
    .command('collections')
    .description('List or delete RAG collections: documents, chunks, embedding model, last update');
  collections
    .command('list')
    .description('List collections with documents, chunks, embedding model and last update')
    .option('--storage <url>', STORAGE_HELP)
    .option('--json', 'print JSON')
    .action((flags: CollectionsFlags, command: Command) => withStore(command, flags, (s) => list(s, flags)));
  collections
    .command('delete <name>')
    .description('Delete a collection with its documents and chunks (asks first in a terminal)')
    .option('-y, --yes', 'do not ask')
    .option('--storage <url>', STORAGE_HELP)
    .option('--json', 'print what was deleted as JSON')
    .action((name: string, flags: CollectionsFlags, command: Command) =>
      withStore(command, flags, (s) => remove(s, name, flags)),
    );
}
