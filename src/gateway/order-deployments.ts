/**
 * Routing strategies: the order in which the router tries an alias's deployments.
 *
 * - fallback: by priority (lower first), then as listed;
 * - weighted: a weighted random order (sampling without replacement), so traffic splits by weight
 *   and the rest remain fallbacks;
 * - latency: lowest moving-average latency first (untried deployments first, to measure them);
 * - least-busy: fewest requests in flight first.
 *
 * Deployments in cooldown go last, soonest-to-recover first: skipped while others can serve, still
 * tried when nothing else is left.
 */
import type { Deployment } from './deployment.js';
import type { DeploymentHealth } from './deployment-health.js';

export type RoutingStrategy = 'fallback' | 'weighted' | 'latency' | 'least-busy';

export function orderDeployments(
  deployments: readonly Deployment[],
  strategy: RoutingStrategy,
  health: DeploymentHealth,
  random: () => number = Math.random,
): Deployment[] {
  let ordered: Deployment[];
  switch (strategy) {
    case 'weighted':
      ordered = weightedOrder(deployments, random);
      break;
    case 'latency':
      ordered = [...deployments].sort(
        (a, b) => (health.latency(a.id) ?? -1) - (health.latency(b.id) ?? -1) || a.priority - b.priority,
      );
      break;
    case 'least-busy':
      ordered = [...deployments].sort(
        (a, b) => health.inFlight(a.id) - health.inFlight(b.id) || a.priority - b.priority,
      );
      break;
    default:
      ordered = [...deployments].sort((a, b) => a.priority - b.priority);
  }
  if (ordered.length < 2) return ordered;
  const ready = ordered.filter((d) => health.state(d.id) !== 'open');
  if (ready.length === ordered.length) return ordered;
  const cooling = ordered
    .filter((d) => health.state(d.id) === 'open')
    .sort((a, b) => health.openUntil(a.id) - health.openUntil(b.id));
  return [...ready, ...cooling];
}

function weightedOrder(deployments: readonly Deployment[], random: () => number): Deployment[] {
  const pool = [...deployments];
  const out: Deployment[] = [];
  while (pool.length > 0) {
    const total = pool.reduce((sum, d) => sum + d.weight, 0);
    let pick = random() * total;
    let index = 0;
    for (; index < pool.length - 1; index++) {
      pick -= pool[index]!.weight;
      if (pick < 0) break;
    }
    out.push(pool.splice(index, 1)[0]!);
  }
  return out;
}
