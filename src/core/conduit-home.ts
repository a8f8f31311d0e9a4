/**
 * Where Conduit keeps its state: `CONDUIT_HOME` (default `~/.conduit`) holds the database, the
 * model store and caches.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function conduitHome(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.CONDUIT_HOME?.trim();
  return home ? resolve(home) : join(homedir(), '.conduit');
}

export function defaultStorageUrl(env: NodeJS.ProcessEnv = process.env): string {
  return `sqlite:${join(conduitHome(env), 'conduit.db')}`;
}

export function modelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(conduitHome(env), 'models');
}

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(conduitHome(env), 'cache');
}
