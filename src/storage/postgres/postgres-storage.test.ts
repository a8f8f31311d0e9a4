// Every port's contract against a real PostgreSQL server, in schemas of this file's own.
import { after } from 'node:test';
import { storageContract } from '../contract/index.js';
import { requirePostgres, reusedServerStorages } from './test-support/postgres-test-database.js';

const admin = await requirePostgres();
const storages = reusedServerStorages(admin);
after(async () => {
  await storages.dropAll();
  await admin.end();
});

storageContract('postgres', storages.open);
