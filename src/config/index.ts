export { cacheDir, conduitHome, defaultStorageUrl, modelsDir } from '../core/conduit-home.js';
export type { AliasConfig, ConduitConfig, DeploymentConfig } from './config-schema.js';
export { configSchema } from './config-schema.js';
export { findConfigPath, type LoadedConfig, loadConfig, parseConfig } from './load-config.js';
