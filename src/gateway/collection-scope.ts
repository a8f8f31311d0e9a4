/**
 * Which RAG collections a caller may use, and how. The master key, the local CLI and the anonymous
 * caller of development mode may do everything. A virtual key has a `collections` scope: names or
 * globs (`*` matches any run of characters), each granting read and write, or only read with a
 * `:read` suffix. Without a scope (`null`) a key gets every collection when it has no model list —
 * an unrestricted key, as before scopes existed — and none when it has one.
 *
 * Read is: list, get, list documents, search, ask. Write is: create, upload, delete (collection or
 * document). A collection the key may not read is answered exactly as a missing one (404), so a
 * scope never tells a caller which other collections exist.
 *
 * @example
 * const scope = collectionScope(principal);
 * requireCollectionAccess(scope, 'team-a-docs', 'read'); // throws not_found when out of scope
 */
import { ConduitError } from '../core/errors.js';
import type { Principal } from '../core/language-model.js';

export type CollectionAccess = 'none' | 'read' | 'write';

export interface CollectionScope {
  /** What the caller may do with the collection `name`. */
  access(name: string): CollectionAccess;
  /** The key's scope in effect, for its own error messages; `undefined` for callers without one. */
  readonly describe: string | undefined;
}

const FULL: CollectionScope = { access: () => 'write', describe: undefined };

interface Grant {
  glob: string;
  access: 'read' | 'write';
}

/**
 * Whether `name` matches `glob`, where `*` matches any run of characters and everything else is
 * literal. Greedy with one backtrack point: at most (glob length × name length) steps whatever the
 * pattern, where a regular expression of many `.*` can backtrack exponentially.
 */
export function matchesGlob(glob: string, name: string): boolean {
  let g = 0;
  let n = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    if (g < glob.length && glob[g] !== '*' && glob[g] === name[n]) {
      g++;
      n++;
    } else if (g < glob.length && glob[g] === '*') {
      star = g++;
      resume = n;
    } else if (star !== -1) {
      g = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (g < glob.length && glob[g] === '*') g++;
  return g === glob.length;
}

function grantOf(entry: string): Grant {
  const readOnly = entry.endsWith(':read');
  return { glob: readOnly ? entry.slice(0, -':read'.length) : entry, access: readOnly ? 'read' : 'write' };
}

/** The effective scope of a key: its own list, or the default that its model list implies. */
export function effectiveCollections(key: { models: string[]; collections?: string[] | null }): string[] {
  if (key.collections !== null && key.collections !== undefined) return key.collections;
  return key.models.length === 0 ? ['*'] : [];
}

export function collectionScope(principal: Principal): CollectionScope {
  if (principal.kind !== 'virtual') return FULL;
  const entries = effectiveCollections(principal.key);
  const grants = entries.map(grantOf);
  return {
    access(name) {
      let best: CollectionAccess = 'none';
      for (const grant of grants) {
        if (!matchesGlob(grant.glob, name)) continue;
        if (grant.access === 'write') return 'write';
        best = 'read';
      }
      return best;
    },
    describe: entries.length ? entries.join(', ') : 'none',
  };
}

/** The error a missing collection gets from the RAG service, word for word. */
function hidden(name: string): ConduitError {
  return new ConduitError('not_found', `Collection ${name} not found`, { param: 'name' });
}

/**
 * Throws unless the caller may `need` the existing-or-not collection `name` of a path: `not_found`
 * when it may not even read it, `permission` (403) when it may read but not write.
 */
export function requireCollectionAccess(scope: CollectionScope, name: string, need: 'read' | 'write'): void {
  const access = scope.access(name);
  if (access === 'none') throw hidden(name);
  if (need === 'write' && access === 'read') {
    throw new ConduitError(
      'permission',
      `This API key may only read collection "${name}" (its collections: ${scope.describe})`,
      { param: 'name' },
    );
  }
}

/**
 * Throws `permission` unless the caller may create a collection called `name`. The answer depends
 * on the name alone, never on whether such a collection exists.
 */
export function requireCollectionCreate(scope: CollectionScope, name: string): void {
  if (scope.access(name) === 'write') return;
  throw new ConduitError(
    'permission',
    `This API key may not create collection "${name}" (its collections: ${scope.describe})`,
    { param: 'name' },
  );
}
