/**
 * Conduit's library entry point (`import … from 'conduit-llm'`): the core model API and the providers.
 * Storage and configuration have their own subpaths (`conduit-llm/storage`, `conduit-llm/config`).
 */
export * from './core/index.js';
export * from './providers/index.js';
