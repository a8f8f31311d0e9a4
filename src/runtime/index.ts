/**
 * `conduit-llm` runtime: `openConduit()` wires conduit.yaml, storage, providers, the local engine and
 * the gateway's policies once, for scripts as for the CLI and the server.
 */
export { evalFactories } from './eval-factories.js';
export {
  createModelRegistry,
  type ModelListing,
  type ModelRegistry,
  type ModelRegistryOptions,
  parseModelName,
  type RegistryEntry,
} from './model-registry.js';
export { type Conduit, type OpenConduitOptions, openConduit, type RejectedRequest } from './open-conduit.js';
export { type Connection, createProviderPool, type ProviderPool, toPrice } from './provider-pool.js';
