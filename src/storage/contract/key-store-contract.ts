/** Contract every `KeyStore` adapter must pass. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generateKeySecret, hashKeySecret } from '../key-secret.js';
import type { KeyStore } from '../ports/key-store.js';
import { type PortFactory, rejectsWithCode, withPort } from './port-fixture.js';

export function keyStoreContract(adapter: string, factory: PortFactory<KeyStore>): void {
  const run = (body: (keys: KeyStore) => Promise<void>) => () => withPort(factory, body);

  describe(`KeyStore contract (${adapter})`, () => {
    test(
      'a created key is found by the hash of its secret and listed without the hash',
      run(async (keys) => {
        const { secret, hash, prefix } = generateKeySecret();
        const key = await keys.create({
          name: 'ci',
          hash,
          prefix,
          models: ['fast'],
          rpm: 60,
          metadata: { team: 'a' },
        });
        assert.equal(key.budgetPeriod, 'total');
        assert.equal(key.tpm, null);
        assert.equal(key.revokedAt, null);
        assert.deepEqual(await keys.findByHash(hashKeySecret(secret)), key);
        assert.deepEqual(await keys.get(key.id), key);
        assert.equal(await keys.findByHash(hashKeySecret(`${secret}x`)), undefined);
        const listed = await keys.list();
        assert.equal(listed.length, 1);
        assert.equal('hash' in (listed[0] ?? {}), false);
        assert.equal(listed[0]?.prefix, prefix);
        assert.ok(!JSON.stringify(listed).includes(secret));
      }),
    );

    test(
      'refuses to store anything but a SHA-256 hash, so a plaintext secret never lands on disk',
      run(async (keys) => {
        const { secret } = generateKeySecret();
        await rejectsWithCode(keys.create({ name: 'x', hash: secret, prefix: 'sk-cdt-abcd' }), 'bad_request');
        assert.deepEqual(await keys.list({ includeRevoked: true }), []);
      }),
    );

    test(
      'duplicate ids and hashes are conflicts',
      run(async (keys) => {
        const a = generateKeySecret();
        await keys.create({ id: 'k1', name: 'a', hash: a.hash, prefix: a.prefix });
        await rejectsWithCode(keys.create({ name: 'b', hash: a.hash, prefix: a.prefix }), 'conflict');
        const b = generateKeySecret();
        await rejectsWithCode(
          keys.create({ id: 'k1', name: 'b', hash: b.hash, prefix: b.prefix }),
          'conflict',
        );
        assert.equal((await keys.list()).length, 1);
      }),
    );

    test(
      'revoking hides a key from lists but findByHash still returns it, marked revoked',
      run(async (keys) => {
        const s = generateKeySecret();
        const key = await keys.create({ name: 'a', hash: s.hash, prefix: s.prefix });
        const revoked = await keys.revoke(key.id);
        assert.notEqual(revoked.revokedAt, null);
        assert.equal((await keys.revoke(key.id)).revokedAt, revoked.revokedAt);
        assert.deepEqual(await keys.list(), []);
        assert.equal((await keys.list({ includeRevoked: true })).length, 1);
        assert.equal((await keys.findByHash(s.hash))?.revokedAt, revoked.revokedAt);
      }),
    );

    test(
      'rotation keeps id and settings, and the old secret stops matching',
      run(async (keys) => {
        const old = generateKeySecret();
        const key = await keys.create({
          name: 'a',
          hash: old.hash,
          prefix: old.prefix,
          rpm: 10,
          budgetUsd: 5,
        });
        const next = generateKeySecret();
        const rotated = await keys.rotate(key.id, { hash: next.hash, prefix: next.prefix });
        assert.equal(rotated.id, key.id);
        assert.equal(rotated.rpm, 10);
        assert.equal(rotated.budgetUsd, 5);
        assert.equal(rotated.prefix, next.prefix);
        assert.equal(await keys.findByHash(old.hash), undefined);
        assert.equal((await keys.findByHash(next.hash))?.id, key.id);
      }),
    );

    test(
      'rotating onto another key hash or rotating a revoked key is refused',
      run(async (keys) => {
        const a = generateKeySecret();
        const b = generateKeySecret();
        const keyA = await keys.create({ name: 'a', hash: a.hash, prefix: a.prefix });
        await keys.create({ name: 'b', hash: b.hash, prefix: b.prefix });
        await rejectsWithCode(keys.rotate(keyA.id, b), 'conflict');
        assert.equal((await keys.findByHash(a.hash))?.id, keyA.id);
        await keys.revoke(keyA.id);
        await rejectsWithCode(keys.rotate(keyA.id, generateKeySecret()), 'conflict');
      }),
    );

    test(
      'update changes given fields, null clears a limit, omitted fields stay',
      run(async (keys) => {
        const s = generateKeySecret();
        const key = await keys.create({ name: 'a', hash: s.hash, prefix: s.prefix, rpm: 10, tpm: 1000 });
        const updated = await keys.update(key.id, {
          rpm: null,
          budgetUsd: 2.5,
          budgetPeriod: 'monthly',
          models: ['x'],
        });
        assert.equal(updated.rpm, null);
        assert.equal(updated.tpm, 1000);
        assert.equal(updated.budgetUsd, 2.5);
        assert.equal(updated.budgetPeriod, 'monthly');
        assert.deepEqual(updated.models, ['x']);
        assert.deepEqual(await keys.get(key.id), updated);
        await rejectsWithCode(keys.update(key.id, { rpm: -1 }), 'bad_request');
        await rejectsWithCode(
          keys.update(key.id, { budgetPeriod: 'yearly' as unknown as 'daily' }),
          'bad_request',
        );
        assert.deepEqual(await keys.get(key.id), updated);
      }),
    );

    test(
      'collections: null by default, a list round-trips, [] is kept apart from null, bad entries refused',
      run(async (keys) => {
        const a = generateKeySecret();
        const plain = await keys.create({ name: 'a', hash: a.hash, prefix: a.prefix, models: ['x'] });
        assert.equal(plain.collections, null);
        assert.equal((await keys.findByHash(a.hash))?.collections, null);

        const b = generateKeySecret();
        const scoped = await keys.create({
          name: 'b',
          hash: b.hash,
          prefix: b.prefix,
          collections: ['team-a-*', 'shared:read'],
        });
        assert.deepEqual(scoped.collections, ['team-a-*', 'shared:read']);
        assert.deepEqual(await keys.get(scoped.id), scoped);
        assert.deepEqual(
          (await keys.list()).find((k) => k.id === scoped.id)?.collections,
          scoped.collections,
        );

        const none = await keys.update(scoped.id, { collections: [] });
        assert.deepEqual(none.collections, []);
        assert.deepEqual((await keys.get(scoped.id))?.collections, []);
        const other = await keys.update(scoped.id, { rpm: 5 });
        assert.deepEqual(other.collections, [], 'omitted collections stay');
        const reset = await keys.update(scoped.id, { collections: null });
        assert.equal(reset.collections, null);
        assert.equal((await keys.get(scoped.id))?.collections, null);

        for (const bad of [['a b'], ['x:write'], [''], ['a/b'], 'team-a-*' as unknown as string[]]) {
          await rejectsWithCode(keys.update(scoped.id, { collections: bad }), 'bad_request');
        }
        const c = generateKeySecret();
        await rejectsWithCode(
          keys.create({ name: 'c', hash: c.hash, prefix: c.prefix, collections: ['../etc'] }),
          'bad_request',
        );
        assert.equal((await keys.get(scoped.id))?.collections, null);
      }),
    );

    test(
      'operations on an unknown id are not_found',
      run(async (keys) => {
        await rejectsWithCode(keys.revoke('nope'), 'not_found');
        await rejectsWithCode(keys.rotate('nope', generateKeySecret()), 'not_found');
        await rejectsWithCode(keys.update('nope', { name: 'x' }), 'not_found');
        assert.equal(await keys.get('nope'), undefined);
      }),
    );

    test(
      'returned records are copies: mutating one does not change the store',
      run(async (keys) => {
        const s = generateKeySecret();
        const key = await keys.create({
          name: 'a',
          hash: s.hash,
          prefix: s.prefix,
          models: ['m'],
          metadata: { a: 1 },
        });
        key.models.push('other');
        key.metadata.a = 2;
        const again = await keys.get(key.id);
        assert.deepEqual(again?.models, ['m']);
        assert.deepEqual(again?.metadata, { a: 1 });
      }),
    );
  });
}
