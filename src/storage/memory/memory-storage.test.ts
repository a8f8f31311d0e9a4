import { storageContract } from '../contract/index.js';
import { createMemoryStorage } from './memory-storage.js';

storageContract('memory', async () => createMemoryStorage());
