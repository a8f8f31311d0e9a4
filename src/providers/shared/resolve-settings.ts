/**
 * Reads a provider's API key and base URL the way its official SDK does: explicit option first,
 * then the provider's environment variables.
 */
import { ConduitError } from '../../core/errors.js';

export function envValue(names: readonly string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') return value.trim();
  }
  return undefined;
}

export function requireApiKey(
  provider: string,
  explicit: string | undefined,
  envNames: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): string {
  const key = explicit ?? envValue(envNames, env);
  if (key) return key;
  throw new ConduitError(
    'authentication',
    `No API key for ${provider}: set ${envNames.join(' or ')} or pass apiKey (api_key in conduit.yaml)`,
    { provider },
  );
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
