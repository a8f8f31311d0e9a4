// Opening a Postgres storage: migrations, schema isolation, vector-search detection, and batches
// too large for one statement.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ConduitError } from '../../core/errors.js';
import { generateKeySecret } from '../key-secret.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { createPostgresStorage } from './postgres-storage.js';
import {
  dropSchema,
  freshPostgresStorage,
  requirePostgres,
  TEST_POSTGRES_URL,
  uniqueSchema,
} from './test-support/postgres-test-database.js';

const admin = await requirePostgres();
after(() => admin.end());

const versions = async (schema: string) =>
  (await admin.query(`SELECT version, name, applied_at FROM "${schema}".schema_migrations ORDER BY version`))
    .rows;

describe('PostgreSQL database', () => {
  test('applies every migration once; reopening changes nothing', async () => {
    const schema = uniqueSchema('migrate');
    try {
      await (await createPostgresStorage({ url: TEST_POSTGRES_URL, schema })).close();
      const first = await versions(schema);
      assert.deepEqual(
        first.map((r) => r.version),
        POSTGRES_MIGRATIONS.map((m) => m.version),
      );
      await (await createPostgresStorage({ url: `${TEST_POSTGRES_URL}?schema=${schema}` })).close();
      assert.deepEqual(await versions(schema), first);
    } finally {
      await dropSchema(admin, schema);
    }
  });

  test('refuses a schema written by a newer Conduit, and a failing migration changes nothing', async () => {
    const schema = uniqueSchema('versions');
    try {
      await (await createPostgresStorage({ url: TEST_POSTGRES_URL, schema })).close();
      const broken = [
        ...POSTGRES_MIGRATIONS,
        { version: 1000, name: 'broken', sql: 'CREATE TABLE t (x int); SELECT nope FROM nowhere;' },
      ];
      await assert.rejects(createPostgresStorage({ url: TEST_POSTGRES_URL, schema, migrations: broken }));
      assert.equal((await versions(schema)).length, POSTGRES_MIGRATIONS.length);
      const t = await admin.query(`SELECT to_regclass('"${schema}".t') AS t`);
      assert.equal(t.rows[0].t, null);

      await admin.query(`INSERT INTO "${schema}".schema_migrations VALUES (9999, 'from-the-future', 0)`);
      await assert.rejects(
        createPostgresStorage({ url: TEST_POSTGRES_URL, schema }),
        (error: unknown) => ConduitError.isInstance(error) && /newer than this Conduit/.test(error.message),
      );
    } finally {
      await dropSchema(admin, schema);
    }
  });

  test('storages in different schemas of one database do not see each other', async () => {
    const a = await freshPostgresStorage(admin);
    const b = await freshPostgresStorage(admin);
    const secret = generateKeySecret();
    await a.keys.create({ name: 'only-in-a', hash: secret.hash, prefix: secret.prefix });
    await a.cache.set('k', 'a');
    assert.equal(await b.keys.findByHash(secret.hash), undefined);
    assert.equal(await b.cache.get('k'), undefined);
    await a.close();
    await b.close();
  });

  test('vector search uses pgvector exactly when the server can create the extension', async () => {
    const { rows } = await admin.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'vector'`);
    const storage = await freshPostgresStorage(admin);
    try {
      if (rows.length > 0) {
        assert.equal(storage.vectorSearch.mode, 'pgvector');
      } else {
        assert.equal(storage.vectorSearch.mode, 'js');
        assert.match(storage.vectorSearch.reason, /pgvector unavailable \(.*vector/);
        await assert.rejects(
          freshPostgresStorage(admin, { vector: 'pgvector' }),
          (error: unknown) => ConduitError.isInstance(error) && error.code === 'unsupported',
        );
      }
    } finally {
      await storage.close();
    }
  });

  test("concurrent writers agree on a collection's dimensions and on a document's chunks", async () => {
    const storage = await freshPostgresStorage(admin);
    try {
      const docs = storage.documents;
      await docs.createCollection({ name: 'kb' });
      // Ten writers race to store the first embedding, with lengths 2 and 3: one length wins.
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          docs.upsertDocument('kb', { id: `d${i}`, text: 't' }, [
            { text: 't', embedding: i % 2 ? [1, 0] : [1, 0, 0] },
          ]),
        ),
      );
      const dimensions = (await docs.getCollection('kb'))?.dimensions;
      for (const [i, outcome] of outcomes.entries()) {
        const fits = (i % 2 ? 2 : 3) === dimensions;
        assert.equal(outcome.status, fits ? 'fulfilled' : 'rejected', `writer ${i}`);
        if (outcome.status === 'rejected') {
          assert.ok(ConduitError.isInstance(outcome.reason) && outcome.reason.code === 'bad_request');
        }
      }
      // Five writers replace one new document at once: it ends up with one writer's chunks, never a mix.
      await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          docs.upsertDocument('kb', { id: 'same', text: `v${i}` }, [
            { text: `v${i} a` },
            { text: `v${i} b` },
          ]),
        ),
      );
      const chunks = (await docs.getChunks('kb', 'same')).map((c) => c.text);
      const version = chunks[0]?.split(' ')[0];
      assert.deepEqual(chunks, [`${version} a`, `${version} b`]);
      assert.equal((await docs.getDocument('kb', 'same'))?.text, version);
    } finally {
      await storage.close();
    }
  });

  test('a usage batch larger than one statement is still all or nothing', async () => {
    const storage = await freshPostgresStorage(admin);
    try {
      // 17 columns: 65,535 parameters hold 3,855 rows, so 5,000 rows take two statements.
      const rows = Array.from({ length: 5000 }, (_, i) => ({ requestId: `r${i}`, alias: 'a', status: 200 }));
      await assert.rejects(
        storage.usage.appendBatch([...rows, { requestId: 'r1', alias: 'a', status: 200 }]),
        (error: unknown) => ConduitError.isInstance(error) && error.code === 'conflict',
      );
      assert.equal((await storage.usage.summarize())[0]?.requests, undefined);
      await storage.usage.appendBatch(rows);
      assert.equal((await storage.usage.summarize())[0]?.requests, 5000);
    } finally {
      await storage.close();
    }
  });
});
