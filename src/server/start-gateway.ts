/**
 * Starts the gateway the way `conduit serve` does: loads conduit.yaml, decides the security mode,
 * opens storage, discovers models when there is no config, listens, and reloads the config when the
 * file changes (new requests use the new config; in-flight ones finish on the old).
 */
import { watch } from 'node:fs';
import { isIP } from 'node:net';
import { MIN_MASTER_KEY_LENGTH } from '../config/config-schema.js';
import { loadConfig } from '../config/load-config.js';
import { ConduitError } from '../core/errors.js';
import { type Conduit, openConduit } from '../runtime/open-conduit.js';
import { type ConduitServer, createConduitServer } from './create-server.js';

export interface StartGatewayOptions {
  configPath?: string;
  port?: number;
  host?: string;
  /** Allow a non-loopback address without a master key. */
  insecure?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Watch the config file and reload on change (default true). */
  watch?: boolean;
  log?: (line: string) => void;
}

export interface RunningGateway {
  url: string;
  server: ConduitServer;
  /** The runtime serving new requests (replaced on config reload). */
  conduit(): Conduit;
  configPath?: string;
  devMode: boolean;
  /** Re-reads the config file now; resolves false (and keeps the old config) when it is invalid. */
  reload(): Promise<boolean>;
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/**
 * CONDUIT_MASTER_KEY, held to the same rule as conduit.yaml's `master_key` (at least
 * MIN_MASTER_KEY_LENGTH characters); unset or blank means no master key.
 */
export function masterKeyFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const key = env.CONDUIT_MASTER_KEY?.trim();
  if (!key) return undefined;
  if (key.length < MIN_MASTER_KEY_LENGTH) {
    throw new ConduitError(
      'bad_request',
      `CONDUIT_MASTER_KEY is ${key.length} characters; it must be at least ${MIN_MASTER_KEY_LENGTH} (use a long random secret, e.g. \`openssl rand -hex 32\`)`,
      { param: 'CONDUIT_MASTER_KEY' },
    );
  }
  return key;
}

export async function startGateway(options: StartGatewayOptions = {}): Promise<RunningGateway> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.error(line));
  const { config, path } = await loadConfig({ path: options.configPath, env });
  const host = options.host ?? config.server.host;
  const port = options.port ?? config.server.port;
  const masterKey = config.master_key ?? masterKeyFromEnv(env);
  if (!masterKey && !isLoopback(host) && !options.insecure) {
    throw new ConduitError(
      'bad_request',
      `Refusing to listen on ${host} without a master key: set master_key in conduit.yaml or CONDUIT_MASTER_KEY, or pass --insecure`,
      { param: 'config' },
    );
  }
  const onError = (what: 'usage' | 'traces', error: unknown) =>
    log(
      `${what === 'usage' ? 'usage log' : 'traces'}: write failed, will retry: ${(error as Error).message}`,
    );
  const first = await openConduit({ config, env, surface: 'gateway', discover: true, masterKey, onError });
  const server = createConduitServer({
    conduit: first,
    ready: async () => {
      await server.currentRuntime().storage.keys.list();
      return true;
    },
  });
  let address: { url: string };
  try {
    address = await server.listen(port, host);
  } catch (error) {
    await first.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new ConduitError(
        'bad_request',
        `Port ${port} on ${host} is in use: stop the other process or pass --port`,
        { param: 'config' },
      );
    }
    throw error;
  }

  const reload = async (): Promise<boolean> => {
    try {
      const next = await loadConfig({ path: path ?? options.configPath, env });
      const current = server.currentRuntime();
      if ((next.config.storage ?? undefined) !== (current.config.storage ?? undefined)) {
        log('config reload: `storage` changed; restart the server to use the new storage');
      }
      const fresh = await openConduit({
        config: next.config,
        env,
        surface: 'gateway',
        discover: current.discovery ?? true,
        masterKey,
        onError,
        inherit: current,
      });
      const previous = server.swapRuntime(fresh);
      // The old runtime's in-flight requests still log through it; close it once they are done.
      setTimeout(() => void previous.close(), next.config.server.shutdown_grace_ms).unref();
      log(`config reloaded from ${next.path}: ${Object.keys(next.config.models).length} model aliases`);
      return true;
    } catch (error) {
      log(`config reload failed, keeping the previous config: ${(error as Error).message}`);
      return false;
    }
  };

  let watcher: ReturnType<typeof watch> | undefined;
  if (path && options.watch !== false) {
    let timer: NodeJS.Timeout | undefined;
    watcher = watch(path, () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void reload(), 150);
    });
    watcher.unref();
  }

  let closed = false;
  return {
    url: address.url,
    server,
    conduit: () => server.currentRuntime(),
    configPath: path,
    devMode: first.devMode,
    reload,
    async close() {
      if (closed) return;
      closed = true;
      watcher?.close();
      await server.close();
    },
  };
}
