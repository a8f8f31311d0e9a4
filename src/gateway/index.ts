/**
 * `conduit/gateway`: routers (a router is a LanguageModel over deployments), the gateway behind
 * `conduit serve`, and its parts for embedding in another server.
 */
export { createDeployment, type Deployment, type DeploymentSpec } from './deployment.js';
export { createDeploymentHealth, type DeploymentHealth } from './deployment-health.js';
export { createGateway, type Gateway, type GatewayOptions, type RequestContext } from './gateway.js';
export { createGatewayMetrics, type GatewayMetrics } from './gateway-metrics.js';
export { createKeyAdmin, type KeyAdmin } from './key-admin.js';
export { orderDeployments, type RoutingStrategy } from './order-deployments.js';
export { createRouter, type RouteAttempt, type RouterCallOptions, type RouterOptions } from './router.js';
