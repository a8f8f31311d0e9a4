/**
 * The process-wide llama.cpp binding. Loading it costs ~0.3 s and it owns the native thread pool, so
 * every engine in the process shares one instance.
 *
 * `build: 'never'`: use the prebuilt binaries shipped in node-llama-cpp's platform packages and never
 * try to compile or download llama.cpp (machines may be offline). `maxThreads: 0` lifts the
 * library's process-wide thread cap so the `threads` we pass per context is exactly what runs; the
 * library's own default (4 on a 2-core box) oversubscribes the CPU and is ~100x slower.
 */
import { availableParallelism } from 'node:os';
import type { Llama, LlamaGpuType, LlamaLogLevel } from 'node-llama-cpp';
import { ConduitError } from '../../core/errors.js';
import { importOptional } from '../../core/optional-import.js';

export type GpuSetting = 'auto' | false | LlamaGpuType;

let shared: { gpu: GpuSetting; llama: Promise<Llama> } | undefined;

/**
 * node-llama-cpp itself (an optional peer dependency): a ConduitError with the install command when
 * it is missing.
 */
export function importNodeLlamaCpp(): Promise<typeof import('node-llama-cpp')> {
  return importOptional('node-llama-cpp', 'local GGUF models', () => import('node-llama-cpp'));
}

/**
 * The shared Llama instance; the first call decides the GPU setting for the whole process.
 *
 * @example
 * const llama = await getLlamaRuntime();
 * const model = await llama.loadModel({ modelPath });
 */
export function getLlamaRuntime(gpu: GpuSetting = 'auto'): Promise<Llama> {
  if (!shared) {
    const llama = importNodeLlamaCpp()
      .catch((error: unknown) => {
        shared = undefined; // installed later, the next call loads it
        throw error;
      })
      .then(({ getLlama }) =>
        getLlama({
          gpu,
          build: 'never',
          maxThreads: 0,
          logLevel: 'error' as LlamaLogLevel,
          logger: (level, message) => {
            if (level === 'error' || level === 'fatal')
              process.stderr.write(`llama.cpp: ${message.trimEnd()}\n`);
          },
        }).catch((cause: unknown) => {
          shared = undefined;
          throw new ConduitError(
            'internal',
            `Could not load llama.cpp: ${(cause as Error).message}. The prebuilt binaries come with node-llama-cpp's platform package (e.g. @node-llama-cpp/linux-x64); reinstall dependencies if it is missing`,
            { provider: 'local', cause },
          );
        }),
      );
    shared = { gpu, llama };
  }
  return shared.llama;
}

/**
 * Threads for one model when none are configured: one per core, minus one left for the event loop and
 * HTTP handling, never less than 1. On the 2-core machines this project targets that is 1, which the
 * engine benchmark measures as fastest for small models (see docs/local-models.md).
 */
export function defaultThreads(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
}
