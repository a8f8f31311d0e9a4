/**
 * Paths of the committed RAG fixtures (see test/fixtures/rag/README.md) and a fresh SQLite store.
 */
import { fileURLToPath } from 'node:url';
import { createSqliteStorage } from '../../../src/storage/sqlite/sqlite-storage.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/rag/', import.meta.url));
export const fixture = (name: string) => `${FIXTURES}${name}`;

/** The real SQLite adapter, in memory: what `conduit` uses, minus the file. */
export function openTestStorage() {
  return createSqliteStorage({ path: ':memory:' });
}
