/**
 * Port for deployment cooldowns shared by gateway replicas: one replica's failing deployment is
 * skipped by all of them. Optional in a Storage: only Redis-backed storage provides it.
 */

export interface Cooldown {
  reason: string | null;
  /** Time left, in milliseconds. */
  remainingMs: number;
}

export interface DeploymentCooldowns {
  /** Takes the deployment out of rotation on every replica for `ttlMs`; replaces an earlier cooldown. */
  coolDown(deployment: string, ttlMs: number, reason?: string): Promise<void>;
  /** The cooldown in force, or undefined when the deployment may serve. */
  get(deployment: string): Promise<Cooldown | undefined>;
  /** Every cooldown in force, by deployment: one round trip for a replica's periodic sync. */
  active(): Promise<Map<string, Cooldown>>;
  /** Counts a failure in a window that opens at the first failure; returns the count in that window. */
  recordFailure(deployment: string, windowMs: number): Promise<number>;
  /** True for the one caller that may probe the deployment now; others get false until `ttlMs` passes. */
  claimProbe(deployment: string, ttlMs: number): Promise<boolean>;
  /** Forgets failures, cooldown and probe claim, e.g. after a successful probe. */
  reset(deployment: string): Promise<void>;
}
