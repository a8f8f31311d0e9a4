/**
 * Conduit's library entry point (`import … from 'conduit'`): the core model API and the providers.
 * Storage and configuration have their own subpaths (`conduit/storage`, `conduit/config`).
 */
export * from './core/index.js';
export * from './providers/index.js';
