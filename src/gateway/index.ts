/**
 * `conduit-llm/gateway`: routers (a router is a LanguageModel over deployments) and the policies the
 * gateway wraps them in — usable around any model without a server (`wrapModel`).
 */
export { type BudgetGuard, createBudgetGuard } from './budget-guard.js';
export { createDeployment, type Deployment, type DeploymentSpec } from './deployment.js';
export { createDeploymentHealth, type DeploymentHealth } from './deployment-health.js';
export { createEmbeddingRouter } from './embedding-router.js';
export { createGatewayMetrics, type GatewayMetrics } from './gateway-metrics.js';
export { createKeyAdmin, type KeyAdmin } from './key-admin.js';
export { orderDeployments, type RoutingStrategy } from './order-deployments.js';
export * from './policies/index.js';
export { createResponseCache, type ResponseCache } from './response-cache.js';
export { createRouter, type RouterModel, type RouterOptions } from './router.js';
export { createUsageLogger, type UsageLogger } from './usage-logger.js';
