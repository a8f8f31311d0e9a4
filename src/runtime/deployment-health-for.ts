/**
 * Deployment health for a runtime: in memory for the hot path, and — when the storage shares
 * cooldowns (Redis) — published to and synced from the other replicas once a second, so one
 * replica's failing deployment is skipped by all of them.
 */
import type { ConduitConfig } from '../config/config-schema.js';
import { createDeploymentHealth, type DeploymentHealth } from '../gateway/deployment-health.js';
import type { Storage } from '../storage/ports/storage.js';

export function deploymentHealthFor(
  config: ConduitConfig,
  storage: Pick<Storage, 'cooldowns'>,
): { health: DeploymentHealth; stop(): void } {
  const shared = storage.cooldowns;
  const health = createDeploymentHealth({
    failures: config.router.cooldown.failures,
    cooldownMs: config.router.cooldown.duration_ms,
    onCooldown: shared
      ? (id, untilMs) =>
          void shared.coolDown(id, Math.max(1, untilMs - Date.now()), 'failures').catch(() => undefined)
      : undefined,
  });
  if (!shared) return { health, stop: () => undefined };
  const sync = setInterval(() => {
    shared
      .active()
      .then((active) => {
        for (const [id, cooldown] of active) health.coolDown(id, Date.now() + cooldown.remainingMs);
      })
      .catch(() => undefined);
  }, 1_000);
  sync.unref();
  return { health, stop: () => clearInterval(sync) };
}
