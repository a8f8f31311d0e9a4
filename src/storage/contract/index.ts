/**
 * Contract suites for storage adapters. A new adapter (Postgres, Redis) proves itself by running
 * these against a factory of fresh ports; `storageContract` runs all of them from one factory.
 *
 * @example
 * storageContract('postgres', () => openStorage(process.env.TEST_POSTGRES_URL));
 */
import type { Storage } from '../ports/storage.js';
import { budgetLedgerContract } from './budget-ledger-contract.js';
import { cacheContract } from './cache-contract.js';
import { documentSearchContract } from './document-search-contract.js';
import { documentStoreContract } from './document-store-contract.js';
import { evalStoreContract } from './eval-store-contract.js';
import { keyStoreContract } from './key-store-contract.js';
import type { PortFactory } from './port-fixture.js';
import { rateLimiterContract } from './rate-limiter-contract.js';
import { traceStoreContract } from './trace-store-contract.js';
import { usageLogContract } from './usage-log-contract.js';

export { type BudgetPorts, budgetLedgerContract } from './budget-ledger-contract.js';
export { type CacheContractOptions, cacheContract } from './cache-contract.js';
export { documentSearchContract } from './document-search-contract.js';
export { documentStoreContract } from './document-store-contract.js';
export { evalStoreContract } from './eval-store-contract.js';
export { keyStoreContract } from './key-store-contract.js';
export type { PortFactory, PortFixture } from './port-fixture.js';
export { rateLimiterContract } from './rate-limiter-contract.js';
export { traceStoreContract } from './trace-store-contract.js';
export { usageLogContract } from './usage-log-contract.js';

/** Runs every port's contract; `open` must return a fresh, empty storage on each call. */
export function storageContract(adapter: string, open: () => Promise<Storage>): void {
  const port =
    <K extends keyof Storage>(name: K): PortFactory<Storage[K]> =>
    async () => {
      const storage = await open();
      return { port: storage[name], close: () => storage.close() };
    };
  keyStoreContract(adapter, port('keys'));
  usageLogContract(adapter, port('usage'));
  cacheContract(adapter, port('cache'));
  rateLimiterContract(adapter, port('rateLimiter'));
  budgetLedgerContract(adapter, async () => {
    const storage = await open();
    return { port: { budgets: storage.budgets, usage: storage.usage }, close: () => storage.close() };
  });
  documentStoreContract(adapter, port('documents'));
  documentSearchContract(adapter, port('documents'));
  evalStoreContract(adapter, port('evals'));
  traceStoreContract(adapter, port('traces'));
}
