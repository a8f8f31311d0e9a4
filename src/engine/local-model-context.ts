/**
 * What the models of one `local` provider share: settings resolved to defaults, the model manager
 * (lifecycle, memory), metrics, and the mapping from a model name to its GGUF file and runtime options.
 */
import { basename } from 'node:path';
import type { Timeouts } from '../core/timeouts.js';
import { DEFAULT_SAMPLING, type SamplingDefaults } from './chat/sampling-options.js';
import { createEngineMetrics, type EngineMetrics } from './engine-metrics.js';
import type { ModelRuntimeOptions } from './loaded-model.js';
import { type ModelHandle, ModelManager } from './model-manager.js';
import { type ModelStoreOptions, resolveModelFile } from './model-store.js';
import { defaultThreads, type GpuSetting } from './runtime/llama-runtime.js';

export interface LocalSettings extends Partial<ModelRuntimeOptions> {
  /** The model store; defaults to `$CONDUIT_HOME/models`. */
  modelsDir?: string;
  /** Environment for CONDUIT_HOME (tests pass their own). */
  env?: NodeJS.ProcessEnv;
  /** Base for relative model paths. */
  cwd?: string;
  /** Per-model overrides, keyed by the model name as requested or by its file name. */
  models?: Record<string, Partial<ModelRuntimeOptions>>;
  /** Idle time before a model unloads (default 5 minutes; Infinity keeps models loaded). */
  keepAliveMs?: number;
  /** Models loaded at once (default 2); the least recently used idle one makes room. */
  maxLoadedModels?: number;
  /** Estimated bytes all loaded models may take (default: 75% of RAM). */
  memoryBudgetBytes?: number;
  /** GPU backend for llama.cpp (default 'auto': CPU when there is no GPU). Process-wide. */
  gpu?: GpuSetting;
  /** Sampling defaults for requests that leave them out. */
  sampling?: Partial<SamplingDefaults>;
  /** Default timeouts of every call (CallOptions.timeout overrides). */
  timeout?: Timeouts;
  /** Where serving metrics go; one is created when absent. */
  metrics?: EngineMetrics;
}

export const LOCAL_DEFAULTS = {
  contextSize: 4096,
  sequences: 4,
  maxWaiting: 32,
  keepAliveMs: 5 * 60_000,
  maxLoadedModels: 2,
  memoryBudgetFraction: 0.75,
} as const;

export interface LocalModelContext {
  readonly manager: ModelManager;
  readonly metrics: EngineMetrics;
  readonly sampling: SamplingDefaults;
  readonly timeout: Timeouts;
  /** Resolves the model's file and holds it loaded until `release()`. */
  acquire(modelId: string): Promise<ModelHandle>;
  resolvePath(modelId: string): Promise<string>;
}

export function createLocalModelContext(settings: LocalSettings, totalMemory: number): LocalModelContext {
  const metrics = settings.metrics ?? createEngineMetrics();
  const store: ModelStoreOptions = { dir: settings.modelsDir, env: settings.env, cwd: settings.cwd };
  const requestedAs = new Map<string, string>(); // path → name it was first requested by
  const runtimeFor = (path: string): ModelRuntimeOptions => {
    const file = basename(path);
    const overrides =
      settings.models?.[requestedAs.get(path) ?? ''] ??
      settings.models?.[file] ??
      settings.models?.[file.replace(/\.gguf$/i, '')] ??
      {};
    return {
      threads: overrides.threads ?? settings.threads ?? defaultThreads(),
      contextSize: overrides.contextSize ?? settings.contextSize ?? LOCAL_DEFAULTS.contextSize,
      sequences: overrides.sequences ?? settings.sequences ?? LOCAL_DEFAULTS.sequences,
      maxWaiting: overrides.maxWaiting ?? settings.maxWaiting ?? LOCAL_DEFAULTS.maxWaiting,
      ...pick(overrides.batchSize ?? settings.batchSize, 'batchSize'),
      ...pick(overrides.gpuLayers ?? settings.gpuLayers, 'gpuLayers'),
      ...pick(overrides.embeddingContextSize ?? settings.embeddingContextSize, 'embeddingContextSize'),
      ...pick(overrides.chatWrapper ?? settings.chatWrapper, 'chatWrapper'),
    };
  };
  const manager = new ModelManager({
    keepAliveMs: settings.keepAliveMs ?? LOCAL_DEFAULTS.keepAliveMs,
    maxLoadedModels: settings.maxLoadedModels ?? LOCAL_DEFAULTS.maxLoadedModels,
    memoryBudgetBytes:
      settings.memoryBudgetBytes ?? Math.floor(totalMemory * LOCAL_DEFAULTS.memoryBudgetFraction),
    gpu: settings.gpu,
    metrics,
    runtimeFor,
  });
  const paths = new Map<string, Promise<string>>();
  const resolvePath = (modelId: string): Promise<string> => {
    let path = paths.get(modelId);
    if (!path) {
      path = resolveModelFile(modelId, store);
      path.then(
        (p) => {
          if (!requestedAs.has(p)) requestedAs.set(p, modelId);
        },
        () => paths.delete(modelId),
      );
      paths.set(modelId, path);
    }
    return path;
  };
  return {
    manager,
    metrics,
    sampling: { ...DEFAULT_SAMPLING, ...settings.sampling },
    timeout: settings.timeout ?? {},
    resolvePath,
    async acquire(modelId) {
      return manager.acquire(await resolvePath(modelId), `local:${modelId}`);
    },
  };
}

function pick<K extends string, V>(value: V | undefined, key: K): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
