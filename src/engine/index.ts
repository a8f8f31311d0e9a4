/**
 * `conduit-llm/engine`: GGUF models run in-process through llama.cpp (node-llama-cpp) behind the same
 * LanguageModel and EmbeddingModel interfaces as every hosted provider; the model store and
 * `pullModel`; serving metrics; and the GGUF writer that makes the project's test models.
 *
 * @example
 * import { createLocal } from 'conduit-llm/engine';
 * const local = createLocal({ threads: 1 });
 * const { text } = await local.languageModel('qwen2.5-0.5b-instruct-q4_k_m').generate({
 *   messages: [{ role: 'user', content: 'Hello' }],
 * });
 */
export { DEFAULT_SAMPLING, type SamplingDefaults } from './chat/sampling-options.js';
export {
  createEngineMetrics,
  type EngineMetrics,
  type EngineMetricsSnapshot,
  type HistogramSnapshot,
  LATENCY_BUCKETS,
  type ModelMetricsSnapshot,
} from './engine-metrics.js';
export { type GgmlTensorType, toHalf } from './gguf/ggml-types.js';
export { type GgufFile, type GgufTensor, type GgufValue, gguf, writeGguf } from './gguf/gguf-writer.js';
export {
  LLAMA_PRESETS,
  type LlamaModelShape,
  type LlamaPreset,
  llamaParameterCount,
  type WriteLlamaModelOptions,
  type WrittenModel,
  writeLlamaModel,
} from './gguf/write-llama-model.js';
export { jsonObjectGbnf, jsonSchemaToGbnf, UnsupportedSchemaError } from './grammar/json-schema-to-gbnf.js';
export type { ModelRuntimeOptions } from './loaded-model.js';
export { LocalEmbeddingModel } from './local-embedding-model.js';
export { LocalLanguageModel } from './local-language-model.js';
export { LOCAL_DEFAULTS, type LocalSettings } from './local-model-context.js';
export { createLocal, type LocalProvider } from './local-provider.js';
export type { LoadedModelStatus } from './model-manager.js';
export {
  listStoredModels,
  type ModelManifest,
  type ModelStoreOptions,
  resolveModelFile,
  type StoredModel,
  storeDir,
} from './model-store.js';
export { huggingFaceEndpoint, type ModelSource, parseModelSource } from './pull/parse-model-source.js';
export { type PullOptions, type PullProgress, type PullResult, pullModel } from './pull/pull-model.js';
export { registerEngineMetrics } from './register-engine-metrics.js';
export { defaultThreads, type GpuSetting } from './runtime/llama-runtime.js';
