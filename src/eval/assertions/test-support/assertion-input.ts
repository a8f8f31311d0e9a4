/**
 * An AssertionInput with defaults, for assertion tests: only what a test is about needs writing.
 */
import type { AssertionInput } from '../assertion-types.js';

export function assertionInput(output: string, overrides: Partial<AssertionInput> = {}): AssertionInput {
  return {
    output,
    vars: {},
    messages: [{ role: 'user', content: 'What is the capital of France?' }],
    question: 'What is the capital of France?',
    latencyMs: 120,
    costUsd: 0.0002,
    promptId: 'p',
    targetId: 't',
    ...overrides,
  };
}
