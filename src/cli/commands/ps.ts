/**
 * `conduit ps`: the local models a running gateway holds loaded (name, size, running and waiting
 * requests, context, time until an idle one unloads), as `ollama ps` shows them. A CLI process only
 * sees the models it loaded itself, so `ps` asks the gateway: `GET /admin/engine` with the master key.
 */
import type { Command } from 'commander';
import { ConduitError, codeFromStatus } from '../../core/errors.js';
import type { LoadedModelStatus } from '../../engine/model-manager.js';
import { UsageError } from '../cli-error.js';
import { formatTable } from '../format-table.js';
import { formatBytes } from './pull.js';

export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:4141';

/** One loaded model as `GET /admin/engine` returns it. */
export interface EngineModel extends LoadedModelStatus {
  /** Epoch ms by the gateway's clock; null while in use or when kept loaded forever. */
  unloadsAt: number | null;
}

interface PsOptions {
  url?: string;
  apiKey?: string;
  json?: boolean;
}

/** Asks the gateway at `url` which local models it has loaded. */
export async function fetchEngineStatus(
  url: string,
  apiKey: string | undefined,
): Promise<{ now: number; data: EngineModel[] }> {
  let endpoint: URL;
  try {
    endpoint = new URL('/admin/engine', url);
  } catch {
    throw new UsageError(`--url must be an http(s) URL such as ${DEFAULT_GATEWAY_URL}, got "${url}"`);
  }
  let res: Response;
  try {
    res = await fetch(endpoint, {
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal: AbortSignal.timeout(10_000),
    });
  } catch (cause) {
    if ((cause as Error).name === 'TimeoutError')
      throw new ConduitError('timeout', `the gateway at ${url} did not answer within 10 s`, { cause });
    throw new ConduitError('upstream_error', `no gateway at ${url} (start one with conduit serve)`, {
      cause,
    });
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    const hint =
      res.status === 401 || res.status === 403
        ? ' (pass the master key with --api-key or CONDUIT_API_KEY)'
        : res.status === 404
          ? ' (a Conduit gateway too old for conduit ps?)'
          : '';
    throw new ConduitError(
      codeFromStatus(res.status),
      `${url}: ${body?.error?.message ?? `HTTP ${res.status}`}${hint}`,
      { upstreamStatus: res.status },
    );
  }
  return (await res.json()) as { now: number; data: EngineModel[] };
}

/** "4 minutes from now", as `ollama ps` says when a model unloads. */
export function formatUntil(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'Less than a minute from now';
  if (minutes < 2) return 'About a minute from now';
  if (minutes < 60) return `${minutes} minutes from now`;
  const hours = Math.floor(minutes / 60);
  return hours < 2 ? 'About an hour from now' : `${hours} hours from now`;
}

function until(model: EngineModel, now: number): string {
  if (model.running + model.waiting > 0) return 'In use';
  return model.unloadsAt === null ? 'Forever' : formatUntil(model.unloadsAt - now);
}

function modelJson(model: EngineModel, now: number) {
  return {
    name: model.name,
    path: model.path,
    size_bytes: model.memoryBytes,
    running: model.running,
    waiting: model.waiting,
    sequences: model.sequences,
    context_size: model.contextSize,
    threads: model.threads,
    last_used_at: new Date(model.lastUsedAt).toISOString(),
    unloads_at: model.unloadsAt === null ? null : new Date(model.unloadsAt).toISOString(),
    unloads_in_ms: model.unloadsAt === null ? null : Math.max(0, model.unloadsAt - now),
  };
}

/**
 * Adds `ps` to the program.
 *
 * @example
 * registerPsCommand(program);
 * // $ conduit ps
 * // NAME   SIZE    RUNNING  WAITING  CONTEXT  UNTIL
 * // qwen   612 MB        1        0     4096  In use
 */
export function registerPsCommand(program: Command): void {
  program
    .command('ps')
    .description('Show the local models a running gateway has loaded: size, requests, context, unload time')
    .option('--url <url>', `the gateway (default $CONDUIT_URL, then ${DEFAULT_GATEWAY_URL})`)
    .option('--api-key <key>', 'the master key (default $CONDUIT_API_KEY, then $CONDUIT_MASTER_KEY)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
A model loads on its first request and unloads after it has been idle a while (5 minutes by default).
Examples:
  $ conduit ps
  $ conduit ps --url http://gpu-box:4141 --api-key "$CONDUIT_MASTER_KEY" --json`,
    )
    .action(async (options: PsOptions) => {
      const env = process.env;
      const url = options.url || env.CONDUIT_URL || DEFAULT_GATEWAY_URL;
      const apiKey = options.apiKey || env.CONDUIT_API_KEY || env.CONDUIT_MASTER_KEY || undefined;
      const { now, data } = await fetchEngineStatus(url, apiKey);
      if (options.json) {
        const models = data.map((m) => modelJson(m, now));
        process.stdout.write(`${JSON.stringify({ gateway: url, models }, null, 2)}\n`);
        return;
      }
      if (data.length === 0) {
        process.stdout.write(
          `No local models loaded by the gateway at ${url}; one loads on its first request.\n`,
        );
        return;
      }
      process.stdout.write(
        formatTable(
          ['NAME', 'SIZE', 'RUNNING', 'WAITING', 'CONTEXT', 'UNTIL'],
          data.map((m) => [
            m.name,
            formatBytes(m.memoryBytes),
            String(m.running),
            String(m.waiting),
            String(m.contextSize),
            until(m, now),
          ]),
        ),
      );
    });
}
