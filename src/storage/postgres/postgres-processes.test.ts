// What a fleet of gateway processes relies on, with two real processes that start together on a
// fresh schema: they migrate it exactly once without errors, then share one rate limit and one
// budget exactly.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runChild } from '../sqlite/test-support/run-child.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import {
  dropSchema,
  requirePostgres,
  TEST_POSTGRES_URL,
  uniqueSchema,
} from './test-support/postgres-test-database.js';

const admin = await requirePostgres();
const schema = uniqueSchema('fleet');
after(async () => {
  await dropSchema(admin, schema);
  await admin.end();
});

const CHILD = `
  import { createPostgresStorage } from 'STORAGE';
  const [url, schema, startAt] = process.argv.slice(2);
  // Both processes have loaded by now, so opening (and migrating) really happens at the same time.
  while (Date.now() < Number(startAt)) await new Promise((r) => setTimeout(r, 2));
  const storage = await createPostgresStorage({ url, schema });
  const decisions = await Promise.all(
    Array.from({ length: 50 }, () => storage.rateLimiter.consume('key:rpm', { limit: 60, windowMs: 600000 })),
  );
  // A brand-new key: no spend row yet, so both processes race to create and seed it too.
  const budgets = await Promise.all(
    Array.from({ length: 50 }, () =>
      storage.budgets.reserve({ keyId: 'new-key', periodStart: 0, amountUsd: 0.005, limitUsd: 0.05, ttlMs: 600000 }),
    ),
  );
  await storage.close();
  console.log(decisions.filter((d) => d.allowed).length, budgets.filter((d) => d.allowed).length);
`;

describe('PostgreSQL shared by two processes', () => {
  let admitted: number[] = [];
  let reserved: number[] = [];
  before(async () => {
    const startAt = String(Date.now() + 3000);
    const results = await Promise.all(
      [0, 1].map(() => runChild(CHILD, [TEST_POSTGRES_URL, schema, startAt])),
    );
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    admitted = results.map((r) => Number(r.stdout.trim().split(' ')[0]));
    reserved = results.map((r) => Number(r.stdout.trim().split(' ')[1]));
  });

  test('opening a fresh schema at once applies each migration exactly once', async () => {
    const { rows } = await admin.query(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
    assert.deepEqual(
      rows.map((r) => r.version),
      POSTGRES_MIGRATIONS.map((m) => m.version),
    );
  });

  test('one limit of 60 admits exactly 60 of the 100 attempts made by both', () => {
    assert.equal(admitted.length, 2);
    assert.equal(admitted[0]! + admitted[1]!, 60, `per process: ${admitted.join(', ')}`);
  });

  test('one budget of $0.05 admits exactly the 10 reservations of $0.005 made by both', () => {
    assert.equal(reserved[0]! + reserved[1]!, 10, `per process: ${reserved.join(', ')}`);
  });
});
