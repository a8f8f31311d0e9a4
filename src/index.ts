/**
 * Conduit's library entry point (`import … from 'conduit-llm'`): the core model API, the providers,
 * the runtime (`openConduit`) and the policies every model can be wrapped in (`wrapModel`). Storage,
 * configuration, RAG, eval and the engine have their own subpaths (`conduit-llm/rag`, …).
 */
export * from './core/index.js';
export {
  budget,
  type CallOutcome,
  type Interception,
  interceptCalls,
  keyLimits,
  type ModelPolicy,
  responseCache,
  trace,
  usageLog,
  wrapModel,
} from './gateway/policies/index.js';
export { createRouter, type RouterModel, type RouterOptions } from './gateway/router.js';
export { createTracer, type Tracer } from './observability/tracing/tracer.js';
export * from './providers/index.js';
export * from './runtime/index.js';
