/**
 * Starts a real gateway (config file, SQLite storage in a temp CONDUIT_HOME, port 0) in front of
 * local OpenAI-compatible test upstreams, for end-to-end tests with real clients.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningGateway, startGateway } from '../../src/server/start-gateway.js';
import { type OpenAITestServer, startOpenAITestServer } from './openai-test-server.js';

export interface Harness {
  url: string;
  /** `${url}/v1` */
  baseURL: string;
  upstreams: OpenAITestServer[];
  running: RunningGateway;
  dir: string;
  configPath: string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Number of upstream servers (default 1). */
  upstreams?: number;
  /** conduit.yaml text; receives the upstreams' base URLs. */
  config: (baseURLs: string[]) => string;
  env?: NodeJS.ProcessEnv;
  watch?: boolean;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const upstreams = await Promise.all(
    Array.from({ length: options.upstreams ?? 1 }, () => startOpenAITestServer()),
  );
  const dir = mkdtempSync(join(tmpdir(), 'conduit-gw-'));
  const configPath = join(dir, 'conduit.yaml');
  writeFileSync(configPath, options.config(upstreams.map((u) => u.baseURL)));
  const running = await startGateway({
    configPath,
    port: 0,
    host: '127.0.0.1',
    watch: options.watch ?? false,
    env: { CONDUIT_HOME: join(dir, 'home'), PATH: process.env.PATH, ...options.env },
    log: () => undefined,
  });
  return {
    url: running.url,
    baseURL: `${running.url}/v1`,
    upstreams,
    running,
    dir,
    configPath,
    async close() {
      await running.close();
      await Promise.all(upstreams.map((u) => u.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A YAML alias with one openai-compatible deployment per base URL (priced as gpt-4o-mini). */
export function aliasYaml(name: string, baseURLs: string[], extra = ''): string {
  const lines = [`  ${name}:`, '    deployments:'];
  for (const url of baseURLs) {
    lines.push(
      '      - provider: openai-compatible',
      '        model: gpt-4o-mini',
      `        base_url: ${url}`,
    );
  }
  if (extra) lines.push(extra);
  return lines.join('\n');
}
