/**
 * Per-deployment health for routing: a circuit breaker (cooldown after consecutive failures or a
 * long Retry-After, then one probe request), a moving average of latency, and in-flight counts.
 * State is in memory for the hot path; `onCooldown` lets a fleet share cooldowns (Redis).
 */
import type { ConduitError } from '../core/errors.js';

export type CircuitState = 'closed' | 'open' | 'half-open';

interface Entry {
  failures: number;
  openUntil: number;
  probing: boolean;
  inFlight: number;
  /** Exponentially weighted moving average of latency (ms); undefined until the first success. */
  latencyMs?: number;
}

export interface DeploymentHealthOptions {
  /** Consecutive failures that open the circuit. */
  failures: number;
  /** How long an open circuit skips the deployment. */
  cooldownMs: number;
  now?: () => number;
  /** Weight of the newest sample in the latency average. */
  alpha?: number;
  /** Called when a deployment enters cooldown (to share it with other replicas). */
  onCooldown?: (id: string, untilMs: number) => void;
}

export interface DeploymentHealth {
  state(id: string): CircuitState;
  /** Whether a request may go to the deployment now; in half-open state only one probe at a time. */
  tryAcquire(id: string): boolean;
  release(id: string): void;
  recordSuccess(id: string, latencyMs: number): void;
  recordFailure(id: string, error: ConduitError): void;
  /** Puts a deployment in cooldown until a time (e.g. learnt from another replica). */
  coolDown(id: string, untilMs: number): void;
  latency(id: string): number | undefined;
  inFlight(id: string): number;
  /** When an open circuit closes again (0 when closed). */
  openUntil(id: string): number;
}

export function createDeploymentHealth(options: DeploymentHealthOptions): DeploymentHealth {
  const now = options.now ?? Date.now;
  const alpha = options.alpha ?? 0.3;
  const entries = new Map<string, Entry>();
  const entry = (id: string): Entry => {
    let e = entries.get(id);
    if (!e) {
      e = { failures: 0, openUntil: 0, probing: false, inFlight: 0 };
      entries.set(id, e);
    }
    return e;
  };
  const state = (e: Entry): CircuitState => {
    if (e.openUntil === 0) return 'closed';
    return now() < e.openUntil ? 'open' : 'half-open';
  };
  const open = (id: string, e: Entry, until: number) => {
    e.openUntil = Math.max(e.openUntil, until);
    e.probing = false;
    options.onCooldown?.(id, e.openUntil);
  };

  return {
    state: (id) => state(entry(id)),
    tryAcquire(id) {
      const e = entry(id);
      const s = state(e);
      if (s === 'open') return false;
      if (s === 'half-open') {
        if (e.probing) return false;
        e.probing = true;
      }
      e.inFlight++;
      return true;
    },
    release(id) {
      const e = entry(id);
      e.inFlight = Math.max(0, e.inFlight - 1);
    },
    recordSuccess(id, latencyMs) {
      const e = entry(id);
      e.failures = 0;
      e.openUntil = 0;
      e.probing = false;
      e.latencyMs = e.latencyMs === undefined ? latencyMs : alpha * latencyMs + (1 - alpha) * e.latencyMs;
    },
    recordFailure(id, error) {
      const e = entry(id);
      // Client mistakes say nothing about the deployment's health.
      if (!error.retryable && error.code !== 'authentication' && error.code !== 'permission') return;
      e.failures++;
      const wasProbe = state(e) === 'half-open';
      const asked = error.code === 'rate_limited' ? error.retryAfterMs : undefined;
      if (wasProbe || e.failures >= options.failures) open(id, e, now() + options.cooldownMs);
      else if (asked !== undefined && asked > 0) open(id, e, now() + Math.min(asked, options.cooldownMs));
    },
    coolDown(id, untilMs) {
      const e = entry(id);
      if (untilMs > e.openUntil) e.openUntil = untilMs;
    },
    latency: (id) => entries.get(id)?.latencyMs,
    inFlight: (id) => entries.get(id)?.inFlight ?? 0,
    openUntil: (id) => entries.get(id)?.openUntil ?? 0,
  };
}
