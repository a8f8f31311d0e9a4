export type { AliasConfig, ConduitConfig, DeploymentConfig } from './config-schema.js';
export { configSchema } from './config-schema.js';
export { findConfigPath, type LoadedConfig, loadConfig, parseConfig } from './load-config.js';
export { cacheDir, conduitHome, defaultStorageUrl, modelsDir } from './paths.js';
