import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConduitError } from '../core/errors.js';
import type { Principal, PrincipalKey } from '../core/language-model.js';
import {
  collectionScope,
  effectiveCollections,
  matchesGlob,
  requireCollectionAccess,
  requireCollectionCreate,
} from './collection-scope.js';

function virtual(models: string[], collections?: string[] | null): Principal {
  const key: PrincipalKey = {
    id: 'k1',
    prefix: 'sk-cdt-abcd',
    models,
    ...(collections !== undefined ? { collections } : {}),
    rpm: null,
    tpm: null,
    budgetUsd: null,
    budgetPeriod: 'total',
  };
  return { kind: 'virtual', key };
}

function code(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    assert.ok(error instanceof ConduitError);
    return error.code;
  }
}

describe('collectionScope', () => {
  test('master, anonymous (development mode) and the local CLI may do everything', () => {
    for (const kind of ['master', 'anonymous', 'local'] as const) {
      assert.equal(collectionScope({ kind }).access('anything'), 'write');
    }
  });

  test('the default follows the model list: all without one, none with one', () => {
    assert.deepEqual(effectiveCollections({ models: [], collections: null }), ['*']);
    assert.deepEqual(effectiveCollections({ models: ['fast'] }), []);
    assert.equal(collectionScope(virtual([])).access('docs'), 'write');
    assert.equal(collectionScope(virtual(['fast'])).access('docs'), 'none');
    assert.equal(collectionScope(virtual(['fast'], null)).access('docs'), 'none');
    assert.equal(collectionScope(virtual([], [])).access('docs'), 'none', '[] is none, not the default');
  });

  test('globs match whole names; "." and "-" are literal', () => {
    const scope = collectionScope(virtual(['fast'], ['team-a-*', 'v1.docs']));
    assert.equal(scope.access('team-a-docs'), 'write');
    assert.equal(scope.access('team-a-'), 'write');
    assert.equal(scope.access('team-b-docs'), 'none');
    assert.equal(scope.access('xteam-a-docs'), 'none');
    assert.equal(scope.access('v1.docs'), 'write');
    assert.equal(scope.access('v1xdocs'), 'none');
    assert.equal(collectionScope(virtual(['fast'], ['*'])).access('any.thing'), 'write');
  });

  test('matchesGlob: stars match any run, including none; a pathological pattern stays fast', () => {
    assert.ok(matchesGlob('*', ''));
    assert.ok(matchesGlob('a*b*c', 'abc'));
    assert.ok(matchesGlob('a*b*c', 'axxbyyc'));
    assert.ok(!matchesGlob('a*b*c', 'axxbyy'));
    assert.ok(matchesGlob('*-docs', 'team-a-docs'));
    assert.ok(!matchesGlob('team', 'team-a'));
    const started = performance.now();
    assert.ok(!matchesGlob(`${'*a'.repeat(60)}*b`, 'a'.repeat(128)));
    assert.ok(performance.now() - started < 100);
  });

  test(':read grants read only, and a write grant wins over it', () => {
    const scope = collectionScope(virtual([], ['shared:read', 'team-*:read', 'team-a']));
    assert.equal(scope.access('shared'), 'read');
    assert.equal(scope.access('team-b'), 'read');
    assert.equal(scope.access('team-a'), 'write');
  });
});

describe('requireCollectionAccess / requireCollectionCreate', () => {
  const scope = collectionScope(virtual(['fast'], ['team-a-*', 'shared:read']));

  test('out of scope is a 404 worded as a missing collection; read-only writes are 403', () => {
    const read = (name: string) => code(() => requireCollectionAccess(scope, name, 'read'));
    const write = (name: string) => code(() => requireCollectionAccess(scope, name, 'write'));
    assert.equal(read('team-b'), 'not_found');
    assert.throws(() => requireCollectionAccess(scope, 'team-b', 'write'), {
      code: 'not_found',
      message: 'Collection team-b not found',
      param: 'name',
    });
    assert.equal(read('shared'), undefined);
    assert.equal(write('shared'), 'permission');
    assert.equal(write('team-a-x'), undefined);
  });

  test('create needs write on the name, whether or not it exists', () => {
    const create = (name: string) => code(() => requireCollectionCreate(scope, name));
    assert.equal(create('team-a-new'), undefined);
    assert.equal(create('shared'), 'permission');
    assert.equal(create('team-b'), 'permission');
  });
});
