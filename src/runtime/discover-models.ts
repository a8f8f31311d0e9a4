/**
 * Zero-config discovery for `conduit serve` without a config file: providers whose API keys are in
 * the environment, an Ollama or llama.cpp server on its default port, and (with the local engine)
 * GGUF files in the model store.
 */
import { request } from 'undici';
import { BUILTIN_PRICES } from '../core/cost/builtin-prices.js';
import { listStoredModels } from '../engine/model-store.js';
import { PROVIDER_KEY_ENV, type ProviderId } from '../providers/registry.js';
import { envValue } from '../providers/shared/resolve-settings.js';

export interface DiscoveredModel {
  /** The name clients send: `provider/model`. */
  name: string;
  provider: string;
  model: string;
}

export interface Discovery {
  /** Providers offered for any `provider/model` name. */
  providers: string[];
  /** Models to list in /v1/models. */
  models: DiscoveredModel[];
  /** One line per finding, for the start-up banner. */
  notes: string[];
  /** Base URLs of discovered servers, by provider id. */
  baseURLs: Record<string, string>;
}

/** Well-known models of each keyed provider, from the built-in price table. */
const FAMILY_PREFIXES: Partial<Record<ProviderId, RegExp>> = {
  openai: /^(gpt-|o\d|chatgpt-|text-embedding-)/,
  anthropic: /^claude-/,
  google: /^(gemini-|text-embedding-004)/,
  deepseek: /^deepseek-/,
  mistral: /^(mistral-|codestral|ministral|pixtral|magistral|open-mistral)/,
};

async function probe(url: string, timeoutMs: number): Promise<unknown | undefined> {
  try {
    const response = await request(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
    });
    if (response.statusCode !== 200) {
      await response.body.dump();
      return undefined;
    }
    return await response.body.json();
  } catch {
    return undefined;
  }
}

export async function discoverModels(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 400,
): Promise<Discovery> {
  const providers: string[] = [];
  const models: DiscoveredModel[] = [];
  const notes: string[] = [];
  const baseURLs: Record<string, string> = {};
  for (const [id, names] of Object.entries(PROVIDER_KEY_ENV)) {
    const variable = names?.find((n) => envValue([n], env));
    if (!variable) continue;
    providers.push(id);
    const prefix = FAMILY_PREFIXES[id as ProviderId];
    const known = prefix ? Object.keys(BUILTIN_PRICES).filter((m) => prefix.test(m)) : [];
    for (const model of known) models.push({ name: `${id}/${model}`, provider: id, model });
    notes.push(
      `${id}: key from ${variable}${known.length ? ` (${known.length} known models; any ${id}/<model> works)` : ` (send ${id}/<model>)`}`,
    );
  }

  const ollamaBase = (env.OLLAMA_HOST ? normaliseHost(env.OLLAMA_HOST) : 'http://127.0.0.1:11434').replace(
    /\/+$/,
    '',
  );
  const llamaBase = (env.LLAMACPP_BASE_URL ?? 'http://127.0.0.1:8080')
    .replace(/\/v1\/?$/, '')
    .replace(/\/+$/, '');
  const [ollama, llamacpp] = await Promise.all([
    probe(`${ollamaBase}/api/tags`, timeoutMs) as Promise<{ models?: { name: string }[] } | undefined>,
    probe(`${llamaBase}/v1/models`, timeoutMs) as Promise<{ data?: { id: string }[] } | undefined>,
  ]);
  if (ollama?.models) {
    providers.push('ollama');
    baseURLs.ollama = `${ollamaBase}/v1`;
    for (const m of ollama.models)
      models.push({ name: `ollama/${m.name}`, provider: 'ollama', model: m.name });
    notes.push(`ollama: ${ollama.models.length} models at ${ollamaBase}`);
  }
  const stored = await listStoredModels({ env }).catch(() => []);
  if (stored.length > 0) {
    providers.push('local');
    for (const m of stored) models.push({ name: `local/${m.name}`, provider: 'local', model: m.name });
    notes.push(`local: ${stored.length} GGUF models in the model store`);
  }
  if (llamacpp?.data) {
    providers.push('llamacpp');
    baseURLs.llamacpp = `${llamaBase}/v1`;
    for (const m of llamacpp.data) {
      // llama-server names its model by the file path when started without --alias; the path says
      // where the operator keeps files and is no model name. It serves one model, whatever is asked.
      const id = /[/\\]/.test(m.id) && /\.gguf$/i.test(m.id) ? m.id.split(/[/\\]/).pop()! : m.id;
      models.push({ name: `llamacpp/${id}`, provider: 'llamacpp', model: id });
    }
    notes.push(`llama.cpp server: ${llamacpp.data.length} models at ${llamaBase}`);
  }
  return { providers, models, notes, baseURLs };
}

/** OLLAMA_HOST may be `host:port` or a URL. */
function normaliseHost(host: string): string {
  return /^https?:\/\//.test(host) ? host : `http://${host}`;
}
