/**
 * Shared plumbing of the contract suites: how an adapter hands a fresh port to each test, and the
 * assertions every suite uses.
 */
import assert from 'node:assert/strict';
import { ConduitError, type ErrorCode } from '../../core/errors.js';

/** A fresh, empty port for one test, and how to release it. */
export interface PortFixture<T> {
  port: T;
  close(): Promise<void>;
}

export type PortFactory<T> = () => Promise<PortFixture<T>>;

/** Runs `body` against a fresh port and always releases it. */
export async function withPort<T>(factory: PortFactory<T>, body: (port: T) => Promise<void>): Promise<void> {
  const fixture = await factory();
  try {
    await body(fixture.port);
  } finally {
    await fixture.close();
  }
}

export async function rejectsWithCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(ConduitError.isInstance(error), `expected a ConduitError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return true;
  });
}

export function assertClose(actual: number, expected: number, message?: string, epsilon = 1e-9): void {
  assert.ok(
    Math.abs(actual - expected) <= epsilon,
    message ?? `expected ${actual} to be within ${epsilon} of ${expected}`,
  );
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
