/** The gateway's policies as model wrappers, for the runtime and for library users. */
export { bindCallOptions, bindEmbeddingOptions } from './bind-call-options.js';
export { type BudgetOptions, budget, estimateCost } from './budget.js';
export { type EmbeddingPolicyOptions, embeddingPolicy } from './embedding-policy.js';
export { checkModelAccess, type KeyLimitsOptions, keyLimits } from './key-limits.js';
export {
  type CallOutcome,
  type Intercept,
  type Interception,
  interceptCalls,
  type ModelPolicy,
  wrapModel,
} from './model-policy.js';
export { type ResponseCacheOptions, responseCache } from './response-cache.js';
export { type TraceOptions, trace } from './trace.js';
export { type UsageLogOptions, usageLog } from './usage-log.js';
