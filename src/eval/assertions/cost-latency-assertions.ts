/**
 * `cost` (USD of the target call ≤ `threshold`) and `latency` (milliseconds ≤ `threshold`). A cached
 * answer keeps the cost and latency of the call that produced it, so a warm run judges the same
 * numbers as the cold one.
 */
import type { AssertionHandler } from './assertion-types.js';
import { AssertionConfigError } from './assertion-values.js';

function limit(spec: { type: string; threshold?: number; value?: unknown }): number {
  const value = spec.threshold ?? (typeof spec.value === 'number' ? spec.value : undefined);
  if (value === undefined || !(value >= 0))
    throw new AssertionConfigError(`${spec.type} needs a threshold (the largest acceptable value)`);
  return value;
}

export const cost: AssertionHandler = (spec, { costUsd }) => {
  const max = limit(spec);
  if (costUsd === null) {
    return {
      pass: false,
      score: 0,
      reason: "cost unknown: the model's price is not in the table (add it under pricing: in conduit.yaml)",
    };
  }
  const pass = costUsd <= max;
  return {
    pass,
    score: pass ? 1 : 0,
    value: costUsd,
    reason: `cost $${costUsd.toPrecision(3)} (limit $${max})`,
  };
};

export const latency: AssertionHandler = (spec, { latencyMs }) => {
  const max = limit(spec);
  const pass = latencyMs <= max;
  return {
    pass,
    score: pass ? 1 : 0,
    value: latencyMs,
    reason: `latency ${Math.round(latencyMs)} ms (limit ${max} ms)`,
  };
};
