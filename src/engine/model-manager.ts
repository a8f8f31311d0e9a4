/**
 * Model lifecycle: a model loads on first use, stays while requests use it, unloads after its
 * keep-alive TTL of idleness, and is evicted least-recently-used first when loading another would
 * pass the max-loaded count or the memory budget. Models in use are never evicted; if only busy
 * models stand in the way, the new load is refused with `overloaded` (retry later).
 *
 * @example
 * const manager = new ModelManager({ keepAliveMs: 300_000, maxLoadedModels: 2, runtimeFor: () => runtime });
 * const handle = await manager.acquire('/models/tiny.gguf');
 * try { handle.loaded.model.tokenize('hi'); } finally { handle.release(); }
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { ConduitError } from '../core/errors.js';
import type { Tokenizer } from '../core/tokens/tokenizer.js';
import { registerTokenizer, unregisterTokenizer } from '../core/tokens/tokenizer.js';
import type { EngineMetrics } from './engine-metrics.js';
import { type LoadedModel, loadLlamaModel, type ModelRuntimeOptions } from './loaded-model.js';
import { type GpuSetting, getLlamaRuntime, importNodeLlamaCpp } from './runtime/llama-runtime.js';

export interface ModelManagerOptions {
  /** Idle time before a model unloads; Infinity keeps it, 0 unloads right after each use. */
  keepAliveMs: number;
  maxLoadedModels: number;
  /** Estimated bytes (weights + KV cache) all loaded models may take; undefined for no limit. */
  memoryBudgetBytes?: number;
  gpu?: GpuSetting;
  metrics?: EngineMetrics;
  runtimeFor(path: string): ModelRuntimeOptions;
}

export interface ModelHandle {
  readonly loaded: LoadedModel;
  release(): void;
}

export interface LoadedModelStatus {
  name: string;
  path: string;
  /** Estimated bytes held. */
  memoryBytes: number;
  running: number;
  waiting: number;
  sequences: number;
  contextSize: number;
  threads: number;
  /** Epoch ms; the model unloads keepAliveMs after this when idle. */
  lastUsedAt: number;
}

interface Entry {
  path: string;
  name: string;
  loading: Promise<LoadedModel>;
  loaded?: LoadedModel;
  memoryBytes: number;
  users: number;
  lastUsedAt: number;
  timer?: NodeJS.Timeout;
  /** Model ids whose token counts this model's tokenizer answers. */
  tokenizerIds: Set<string>;
  /** Unloaded while requests still used it: disposed when the last one releases it. */
  detached?: boolean;
}

export class ModelManager {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: ModelManagerOptions) {}

  /** Loads the model if needed and holds it until `release()`. */
  async acquire(path: string, modelId?: string): Promise<ModelHandle> {
    let entry = this.entries.get(path);
    if (!entry) entry = await this.load(path);
    entry.users++;
    entry.lastUsedAt = Date.now();
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = undefined;
    let loaded: LoadedModel;
    try {
      loaded = await entry.loading;
    } catch (error) {
      entry.users--;
      throw error;
    }
    if (modelId && !entry.tokenizerIds.has(modelId)) {
      entry.tokenizerIds.add(modelId);
      registerTokenizer(modelId, tokenizerOf(loaded));
    }
    let released = false;
    const current = entry;
    return {
      loaded,
      release: () => {
        if (released) return;
        released = true;
        current.users--;
        current.lastUsedAt = Date.now();
        if (current.users > 0) return;
        if (current.detached) void this.dispose(current);
        else this.scheduleUnload(current);
      },
    };
  }

  status(): LoadedModelStatus[] {
    const out: LoadedModelStatus[] = [];
    for (const entry of this.entries.values()) {
      const loaded = entry.loaded;
      if (!loaded) continue;
      out.push({
        name: entry.name,
        path: entry.path,
        memoryBytes: entry.memoryBytes,
        running: loaded.pool.running,
        waiting: loaded.pool.waiting,
        sequences: loaded.pool.size,
        contextSize: loaded.contextSize,
        threads: loaded.options.threads,
        lastUsedAt: entry.lastUsedAt,
      });
    }
    return out;
  }

  isLoaded(path: string): boolean {
    return this.entries.get(path)?.loaded !== undefined;
  }

  /**
   * Unloads one model (or all). An idle model goes at once; a busy one stops taking new requests
   * (the next request loads a fresh copy) and is disposed when its running requests finish.
   */
  async unload(path?: string): Promise<void> {
    const targets =
      path === undefined
        ? [...this.entries.values()]
        : [this.entries.get(path)].filter((e) => e !== undefined);
    await Promise.all(targets.map((entry) => this.drop(entry)));
  }

  private async load(path: string): Promise<Entry> {
    const runtime = this.options.runtimeFor(path);
    const memoryBytes = await estimateMemory(path, runtime, this.options.gpu);
    await this.makeRoom(memoryBytes, path);
    // Another request may have started the same load while we made room.
    const raced = this.entries.get(path);
    if (raced) return raced;
    const name = basename(path).replace(/\.gguf$/i, '');
    const entry: Entry = {
      path,
      name,
      memoryBytes,
      users: 0,
      lastUsedAt: Date.now(),
      tokenizerIds: new Set(),
      loading: getLlamaRuntime(this.options.gpu).then((llama) =>
        loadLlamaModel({ path, name, llama, runtime, metrics: this.options.metrics }),
      ),
    };
    this.entries.set(path, entry);
    entry.loading.then(
      (loaded) => {
        entry.loaded = loaded;
      },
      () => {
        if (this.entries.get(path) === entry) this.entries.delete(path);
      },
    );
    return entry;
  }

  /** Evicts idle models, least recently used first, until `bytes` more fit. */
  private async makeRoom(bytes: number, path: string): Promise<void> {
    const { maxLoadedModels, memoryBudgetBytes } = this.options;
    if (memoryBudgetBytes !== undefined && bytes > memoryBudgetBytes)
      throw new ConduitError(
        'unsupported',
        `${basename(path)} needs about ${gib(bytes)} (weights and KV cache) but the local memory budget is ${gib(memoryBudgetBytes)}; lower contextSize or sequences, or raise memoryBudgetBytes`,
        { provider: 'local', param: 'model' },
      );
    const over = () => {
      const entries = [...this.entries.values()];
      const used = entries.reduce((sum, e) => sum + e.memoryBytes, 0);
      return (
        entries.length + 1 > maxLoadedModels ||
        (memoryBudgetBytes !== undefined && used + bytes > memoryBudgetBytes)
      );
    };
    while (over()) {
      const idle = [...this.entries.values()]
        .filter((e) => e.users === 0 && e.loaded)
        .sort((a, b) => a.lastUsedAt - b.lastUsedAt)[0];
      if (!idle)
        throw new ConduitError(
          'overloaded',
          `Cannot load ${basename(path)}: the loaded local models are all busy and at the limit (maxLoadedModels ${maxLoadedModels}${memoryBudgetBytes !== undefined ? `, memory budget ${gib(memoryBudgetBytes)}` : ''})`,
          { provider: 'local', retryAfterMs: 2000 },
        );
      await this.drop(idle);
    }
  }

  private scheduleUnload(entry: Entry): void {
    const { keepAliveMs } = this.options;
    if (!Number.isFinite(keepAliveMs)) return;
    entry.timer = setTimeout(
      () => {
        if (entry.users === 0 && this.entries.get(entry.path) === entry) void this.drop(entry);
      },
      Math.max(0, keepAliveMs),
    );
    entry.timer.unref();
  }

  private async drop(entry: Entry): Promise<void> {
    if (this.entries.get(entry.path) !== entry) return;
    this.entries.delete(entry.path);
    if (entry.timer) clearTimeout(entry.timer);
    for (const id of entry.tokenizerIds) {
      // A fresh copy of the same model may already answer for this id.
      const taken = [...this.entries.values()].some((other) => other.tokenizerIds.has(id));
      if (!taken) unregisterTokenizer(id);
    }
    if (entry.users > 0) entry.detached = true;
    else await this.dispose(entry);
  }

  private async dispose(entry: Entry): Promise<void> {
    const loaded = await entry.loading.catch(() => undefined);
    await loaded?.dispose();
  }
}

function tokenizerOf(loaded: LoadedModel): Tokenizer {
  const { model } = loaded;
  return {
    name: `${loaded.name} (gguf)`,
    exact: true,
    encode: (text) => model.tokenize(text),
    decode: (ids) => model.detokenize(ids as Parameters<typeof model.detokenize>[0]),
    count: (text) => model.tokenize(text).length,
  };
}

/** Weights (the file, memory-mapped) plus the KV cache and compute buffers llama.cpp will allocate. */
async function estimateMemory(
  path: string,
  runtime: ModelRuntimeOptions,
  gpu: GpuSetting | undefined,
): Promise<number> {
  const bytes = (await stat(path).catch(() => undefined))?.size;
  if (bytes === undefined)
    throw new ConduitError('not_found', `No GGUF model file at ${path}`, {
      provider: 'local',
      param: 'model',
    });
  const { GgufInsights, readGgufFileInfo } = await importNodeLlamaCpp();
  try {
    const insights = await GgufInsights.from(await readGgufFileInfo(path), await getLlamaRuntime(gpu));
    const context = insights.estimateContextResourceRequirements({
      contextSize: Math.min(runtime.contextSize, insights.trainContextSize ?? runtime.contextSize),
      modelGpuLayers: 0,
      sequences: runtime.sequences,
    });
    return bytes + context.cpuRam;
  } catch (cause) {
    throw new ConduitError(
      'bad_request',
      `${path} is not a readable GGUF model: ${(cause as Error).message}`,
      {
        provider: 'local',
        param: 'model',
        cause,
      },
    );
  }
}

function gib(bytes: number): string {
  return bytes >= 1024 ** 3
    ? `${(bytes / 1024 ** 3).toFixed(1)} GiB`
    : `${Math.round(bytes / 1024 ** 2)} MiB`;
}
