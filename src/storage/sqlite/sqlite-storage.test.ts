import { storageContract } from '../contract/index.js';
import { createSqliteStorage } from './sqlite-storage.js';

storageContract('sqlite', async () => createSqliteStorage({ path: ':memory:' }));
