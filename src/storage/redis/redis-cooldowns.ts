/**
 * Circuit-breaker state for gateway deployments, shared by every replica through Redis: failures
 * counted in a window, cooldowns with a time to live during which a deployment is skipped, a list of
 * active cooldowns for replicas to poll, and a probe claim so that when a cooldown ends exactly one
 * replica tries the deployment again. Times are the Redis server's; results are durations, so
 * replicas with skewed clocks still agree.
 *
 * @example
 * const cooldowns = createRedisCooldowns(redis);
 * if ((await cooldowns.recordFailure('openai/gpt-4o-mini', 60_000)) >= 3) {
 *   await cooldowns.coolDown('openai/gpt-4o-mini', 30_000, '3 failures in 60 s');
 * }
 * for (const [id, { remainingMs }] of await cooldowns.active()) health.coolDown(id, Date.now() + remainingMs);
 */
import type { Redis } from 'ioredis';
import type { Cooldown, DeploymentCooldowns } from '../ports/cooldowns.js';
import { badRequest, checkNonEmpty } from '../shared/checks.js';

export type { Cooldown, DeploymentCooldowns };

export interface RedisCooldownsOptions {
  /** Prepended to every key; default `conduit:`. */
  prefix?: string;
}

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000`;

// KEYS: the index of cooldowns (a sorted set scored by end time), the deployment's reason key.
const COOL_DOWN = `${NOW}
redis.call('ZADD', KEYS[1], string.format('%.17g', now + tonumber(ARGV[2])), ARGV[1])
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[2])`;

// Returns id, remaining ms, reason key's value, … for every cooldown in force; drops ended ones.
const ACTIVE = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.17g', now))
local entries = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local out = {}
for i = 1, #entries, 2 do
  out[#out + 1] = entries[i]
  out[#out + 1] = string.format('%.17g', tonumber(entries[i + 1]) - now)
  out[#out + 1] = redis.call('GET', ARGV[1] .. entries[i]) or ''
end
return out`;

// INCR and PEXPIRE in one script: a crash between them must not leave a counter without expiry.
const COUNT_FAILURE = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

function positive(ms: number, param: string): number {
  if (!(ms > 0) || !Number.isFinite(ms)) throw badRequest(`${param} must be a positive number of ms`, param);
  return Math.ceil(ms);
}

export function createRedisCooldowns(redis: Redis, options: RedisCooldownsOptions = {}): DeploymentCooldowns {
  const prefix = options.prefix ?? 'conduit:';
  const index = `${prefix}cooldowns`;
  const reasonPrefix = `${prefix}cooldown:`;
  const key = (kind: string, deployment: string) =>
    `${prefix}${kind}:${checkNonEmpty(deployment, 'deployment')}`;

  return {
    async coolDown(deployment, ttlMs, reason) {
      const ttl = positive(ttlMs, 'ttlMs');
      await redis.eval(COOL_DOWN, 2, index, key('cooldown', deployment), deployment, ttl, reason ?? '');
    },
    async get(deployment) {
      const k = key('cooldown', deployment);
      const replies = (await redis.multi().get(k).pttl(k).exec()) ?? [];
      const reason = replies[0]?.[1] as string | null;
      const ttl = Number(replies[1]?.[1]);
      if (reason === null || !(ttl > 0)) return undefined;
      return { reason: reason === '' ? null : reason, remainingMs: ttl };
    },
    async active() {
      const flat = (await redis.eval(ACTIVE, 1, index, reasonPrefix)) as string[];
      const out = new Map<string, Cooldown>();
      for (let i = 0; i + 2 < flat.length; i += 3) {
        out.set(flat[i] as string, {
          remainingMs: Number(flat[i + 1]),
          reason: flat[i + 2] === '' ? null : (flat[i + 2] as string),
        });
      }
      return out;
    },
    async recordFailure(deployment, windowMs) {
      return Number(
        await redis.eval(COUNT_FAILURE, 1, key('failures', deployment), positive(windowMs, 'windowMs')),
      );
    },
    async claimProbe(deployment, ttlMs) {
      return (await redis.set(key('probe', deployment), '1', 'PX', positive(ttlMs, 'ttlMs'), 'NX')) === 'OK';
    },
    async reset(deployment) {
      await redis
        .multi()
        .zrem(index, deployment)
        .del(key('cooldown', deployment), key('failures', deployment), key('probe', deployment))
        .exec();
    },
  };
}
